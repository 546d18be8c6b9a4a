import type { NestExpressApplication } from '@nestjs/platform-express';
import { createBrokerApp, type CreateBrokerAppOptions } from './bootstrap.js';
import { ConfigError, resolveConfigPath } from '@baton/config';
import { BROKER_CONFIG_PATH, loadBrokerConfigFile } from './config/load-broker-config-file.js';
import { exitGracefullyOnSignals } from './http/graceful-shutdown.js';

export type StartResult = { readonly app: NestExpressApplication } | { readonly exitCode: number };

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
      // --quiet: warnings and errors only (the demo runs four processes in one terminal).
      ...(argv.includes('--quiet') ? { logger: ['warn', 'error'] } : {}),
      ...options,
    });
    exitGracefullyOnSignals(app, config.http.shutdownTimeoutMs, stderr);
    await app.listen(config.listen.port, config.listen.host);
    stderr(
      `baton broker: issuer ${config.issuer} listening on ${config.listen.host}:${config.listen.port} (${config.mode} mode)`,
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
