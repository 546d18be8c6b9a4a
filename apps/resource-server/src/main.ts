import { Logger } from '@nestjs/common';
import { createResourceServerApp } from './bootstrap.js';
import { ConfigError, resolveConfigPath } from '@baton/config';
import { isLogLevel, LOG_LEVELS } from '../../observability/src/log-levels.js';
import {
  loadResourceServerConfigFile,
  RESOURCE_SERVER_CONFIG_PATH,
} from './config/load-resource-server-config-file.js';

const LOG_LEVEL_ENV = 'BATON_LOG_LEVEL';

async function main(): Promise<void> {
  const config = loadResourceServerConfigFile(
    resolveConfigPath(process.argv.slice(2), process.env, RESOURCE_SERVER_CONFIG_PATH),
  );
  const envLevel = process.env[LOG_LEVEL_ENV];
  if (envLevel !== undefined && envLevel !== '' && !isLogLevel(envLevel)) {
    throw new ConfigError(LOG_LEVEL_ENV, [
      { path: '', message: `must be one of ${LOG_LEVELS.join(', ')}` },
    ]);
  }
  const app = await createResourceServerApp(config, {
    // --quiet: warnings and errors only; BATON_LOG_LEVEL wins over it and over logging.level.
    ...(process.argv.includes('--quiet') ? { logLevel: 'warn' } : {}),
    ...(isLogLevel(envLevel) ? { logLevel: envLevel } : {}),
  });
  await app.listen(config.listen.port, config.listen.host);
  new Logger('ResourceServer').log(
    { audience: config.audience, url: await app.getUrl() },
    'resource server listening',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
