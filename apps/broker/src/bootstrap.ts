import 'reflect-metadata';
import type { Server } from 'node:http';
import { RequestMethod, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { requestHeaderLimitFor } from '@baton/chain/protocol';
import { AppModule } from './app.module.js';
import type { Clock } from './clock/clock.js';
import type { BrokerConfig } from './config/broker-config.js';
import { applyServerDeadlines } from './http/server-deadlines.js';

export interface CreateBrokerAppOptions {
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Nest logger setting. Default: log, warn and error. */
  readonly logger?: LoggerService | LogLevel[] | false;
}

/**
 * Build and initialise (migrations run, signing key ready) the Nest application of one trust
 * domain, without listening. Throws instead of exiting when start-up fails.
 */
export async function createBrokerApp(
  config: BrokerConfig,
  options: CreateBrokerAppOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, { clock: options.clock }),
    {
      logger: options.logger ?? ['log', 'warn', 'error'],
      abortOnError: false,
    },
  );
  app.disable('x-powered-by');
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
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}
