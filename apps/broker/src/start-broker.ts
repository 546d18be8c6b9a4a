import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createBrokerApp, type CreateBrokerAppOptions } from './bootstrap.js';
import { ConfigError, resolveConfigPath } from '@baton/config';
import { BROKER_CONFIG_PATH, loadBrokerConfigFile } from './config/load-broker-config-file.js';
import { LOG_LEVEL_ENV } from './config/parse-broker-config.js';
import { exitGracefullyOnSignals } from './http/graceful-shutdown.js';

export type StartResult = { readonly app: NestFastifyApplication } | { readonly exitCode: number };

/**
 * What `main.ts` does: load the configuration named by `--config` or BATON_CONFIG, build the
 * app, listen (`--quiet` logs warnings and errors only). A bad configuration yields exit code 2 and its message on `stderr`; any other
 * start-up failure exit code 1.
 */
export async function startBroker(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  stderr: (line: string) => void,
  options: CreateBrokerAppOptions = {},
): Promise<StartResult> {
  try {
    const config = loadBrokerConfigFile(resolveConfigPath(argv, env, BROKER_CONFIG_PATH), env);
    const app = await createBrokerApp(config, {
      // --quiet: warnings and errors only (the demo runs four processes in one terminal), unless
      // BATON_LOG_LEVEL asks for another level.
      ...(argv.includes('--quiet') && !env[LOG_LEVEL_ENV] ? { logLevel: 'warn' } : {}),
      ...options,
    });
    exitGracefullyOnSignals(app, config.http.shutdownTimeoutMs, stderr);
    await app.listen(config.listen.port, config.listen.host);
    new Logger('BatonBroker').log(
      { issuer: config.issuer, ...config.listen, mode: config.mode },
      'broker listening',
    );
    return { app };
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr(error.message);
      return { exitCode: 2 };
    }
    stderr(
      `baton broker: start-up failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return { exitCode: 1 };
  }
}
