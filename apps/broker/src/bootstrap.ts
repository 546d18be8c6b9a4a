import 'reflect-metadata';
import type { Server } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DestinationStream } from 'pino';
import { requestHeaderLimitFor } from '@baton/chain/protocol';
import { createLogging } from '../../observability/src/create-logging.js';
import type { LogLevelName } from '../../observability/src/log-levels.js';
import { buildOpenApiDocument, OpenApiDocument } from './api-docs/openapi-document.js';
import { AppModule } from './app.module.js';
import type { Clock } from './clock/clock.js';
import type { BrokerConfig } from './config/broker-config.js';
import { applyServerDeadlines } from './http/server-deadlines.js';

export interface CreateBrokerAppOptions {
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Overrides `config.logging.level`; `false` is `silent`. */
  readonly logLevel?: LogLevelName | false;
  /** Where the JSON log lines go. Default standard output. */
  readonly logDestination?: DestinationStream;
  /** `false` silences logging, like `logLevel: false` (tests that expect start-up failures). */
  readonly logger?: false;
}

/**
 * Build and initialise (migrations run, signing key ready) the Nest application of one trust
 * domain, without listening. Throws instead of exiting when start-up fails.
 */
export async function createBrokerApp(
  config: BrokerConfig,
  options: CreateBrokerAppOptions = {},
): Promise<NestExpressApplication> {
  const logging = createLogging({
    service: 'baton-broker',
    level: logLevelOf(config, options),
    destination: options.logDestination,
    quietPaths: ['/health/live', '/health/ready'],
  });
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, { clock: options.clock }),
    { logger: logging.nest, abortOnError: false },
  );
  app.disable('x-powered-by');
  // Before init, hence before the body parsers: a request refused for its body has an id too.
  app.use(logging.middleware);
  // Node reads maxHeaderSize per connection: set before listening, so headers sized for the
  // configured token limit are not refused with 431 by the HTTP parser.
  const server = app.getHttpServer() as Server & { maxHeaderSize?: number };
  server.maxHeaderSize = requestHeaderLimitFor(config.policy.maxTokenBytes);
  applyServerDeadlines(server, config.http);
  const issuerPath = new URL(config.issuer).pathname.replace(/^\/|\/$/g, '');
  if (issuerPath !== '') {
    // Endpoints live under the issuer's path; RFC 8414 §3.1 puts the well-known URL at the host root.
    app.setGlobalPrefix(issuerPath, {
      exclude: [
        { path: '.well-known/{*path}', method: RequestMethod.GET },
        { path: 'health/{*path}', method: RequestMethod.GET },
      ],
    });
  }
  app.get(OpenApiDocument).set(buildOpenApiDocument(app, config));
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

function logLevelOf(config: BrokerConfig, options: CreateBrokerAppOptions): LogLevelName {
  if (options.logger === false || options.logLevel === false) {
    return 'silent';
  }
  return options.logLevel ?? config.logging.level;
}
