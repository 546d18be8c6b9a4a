import { createResourceServerApp } from './bootstrap.js';
import { ConfigError } from './config/config-error.js';
import {
  loadResourceServerConfigFile,
  resolveConfigPath,
} from './config/load-resource-server-config-file.js';

async function main(): Promise<void> {
  const config = loadResourceServerConfigFile(
    resolveConfigPath(process.argv.slice(2), process.env),
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
