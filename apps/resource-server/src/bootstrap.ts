import 'reflect-metadata';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { pino, type DestinationStream } from 'pino';
import { requestHeaderLimitFor } from '@baton/chain/protocol';
import { createLogging } from '../../observability/src/create-logging.js';
import type { LogLevelName } from '../../observability/src/log-levels.js';
import { ResourceServerModule } from './app.module.js';
import { streamDecisionLog, type DecisionLogWriter } from './audit/decision-log.js';
import type { ResourceServerConfig } from './config/resource-server-config.js';

export interface CreateResourceServerAppOptions {
  /** Overrides `config.logging.level`; `false` is `silent`. */
  readonly logLevel?: LogLevelName | false;
  /** `false` silences logging, like `logLevel: false`. */
  readonly logger?: false;
  /** Where the JSON log lines go. Default standard output. */
  readonly logDestination?: DestinationStream;
  /**
   * Where each accepted or refused call is written as a JSON line; default standard output, or
   * nowhere when logging is silenced (`logger: false`, `logLevel: false`).
   */
  readonly decisionLog?: DecisionLogWriter;
}

/**
 * Builds domain C's partner API for `config` (not listening yet): `app.listen(config.listen.port,
 * config.listen.host)` starts it.
 */
export async function createResourceServerApp(
  config: ResourceServerConfig,
  options: CreateResourceServerAppOptions = {},
): Promise<INestApplication> {
  const silent = options.logger === false || options.logLevel === false;
  const logging = createLogging({
    service: 'baton-resource-server',
    level: silent ? 'silent' : options.logLevel || config.logging.level,
    destination: options.logDestination,
    quietPaths: ['/health'],
  });
  // A silenced app (tests, embedding) writes no decision lines unless given a writer; otherwise
  // they go to standard output asynchronously, through the log's own stream when it is there.
  const decisionLog =
    options.decisionLog ??
    (silent
      ? () => undefined
      : streamDecisionLog(
          options.logDestination === undefined
            ? logging.destination
            : pino.destination({ dest: 1, sync: false }),
        ));
  const app = await NestFactory.create<NestExpressApplication>(
    ResourceServerModule.forRoot(config, decisionLog),
    { logger: logging.nest },
  );
  app.disable('x-powered-by');
  // Before init, hence before the body parsers: every request gets its id.
  app.use(logging.middleware);
  // Node reads maxHeaderSize per connection: set before listening, a token of the configured
  // maximum size reaches the verifier instead of a 431 from the HTTP parser.
  const server = app.getHttpServer() as Server & { maxHeaderSize?: number };
  server.maxHeaderSize = requestHeaderLimitFor(config.policy.maxTokenBytes);
  app.enableShutdownHooks();
  return app;
}
