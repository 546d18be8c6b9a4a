import 'reflect-metadata';
import type { Server } from 'node:http';
import type { INestApplication, LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { requestHeaderLimitFor } from '@baton/chain/protocol';
import { ResourceServerModule } from './app.module.js';
import type { DecisionLogWriter } from './audit/decision-log.js';
import type { ResourceServerConfig } from './config/resource-server-config.js';

export interface CreateResourceServerAppOptions {
  /** Nest log levels; default warnings and errors only. */
  logger?: LogLevel[] | false;
  /** Where each accepted or refused call is written as a JSON line; default standard output. */
  decisionLog?: DecisionLogWriter;
}

/**
 * Builds domain C's partner API for `config` (not listening yet): `app.listen(config.listen.port,
 * config.listen.host)` starts it.
 */
export async function createResourceServerApp(
  config: ResourceServerConfig,
  options: CreateResourceServerAppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    ResourceServerModule.forRoot(config, options.decisionLog),
    {
      logger: options.logger ?? ['error', 'warn'],
    },
  );
  app.disable('x-powered-by');
  // Node reads maxHeaderSize per connection: set before listening, a token of the configured
  // maximum size reaches the verifier instead of a 431 from the HTTP parser.
  const server = app.getHttpServer() as Server & { maxHeaderSize?: number };
  server.maxHeaderSize = requestHeaderLimitFor(config.policy.maxTokenBytes);
  app.enableShutdownHooks();
  return app;
}
