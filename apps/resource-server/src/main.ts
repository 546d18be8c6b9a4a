import { createResourceServerApp } from './bootstrap.js';
import { ConfigError, resolveConfigPath } from '@baton/config';
import {
  loadResourceServerConfigFile,
  RESOURCE_SERVER_CONFIG_PATH,
} from './config/load-resource-server-config-file.js';

async function main(): Promise<void> {
  const config = loadResourceServerConfigFile(
    resolveConfigPath(process.argv.slice(2), process.env, RESOURCE_SERVER_CONFIG_PATH),
  );
  const quiet = process.argv.includes('--quiet');
  const app = await createResourceServerApp(config, {
    logger: quiet ? ['error', 'warn'] : ['log', 'error', 'warn'],
  });
  await app.listen(config.listen.port, config.listen.host);
  console.log(
    `resource server for ${config.audience.join(', ')} listening on ${await app.getUrl()}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
