import 'reflect-metadata';
import type { Server } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { requestHeaderLimitFor } from '@baton/chain/protocol';
import { createLogging } from '../../observability/src/create-logging.js';
import type { LogLevelName } from '../../observability/src/log-levels.js';
import { buildOpenApiDocument, OpenApiDocument } from './api-docs/openapi-document.js';
import { AppModule } from './app.module.js';
import type { Clock } from './clock/clock.js';
import type { BrokerConfig } from './config/broker-config.js';
import {
  BODY_LIMIT_BYTES,
  FORM_MEDIA_TYPE,
  parseFormBody,
  refuseEncodedBody,
} from './http/request-body.js';
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
 * Build and initialise (migrations run, signing key ready, routes ready) the Nest application of
 * one trust domain on Fastify, without listening. Throws instead of exiting when start-up fails.
 */
export async function createBrokerApp(
  config: BrokerConfig,
  options: CreateBrokerAppOptions = {},
): Promise<NestFastifyApplication> {
  const logging = createLogging({
    service: 'baton-broker',
    level: logLevelOf(config, options),
    destination: options.logDestination,
    quietPaths: ['/health/live', '/health/ready'],
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, { clock: options.clock }),
    // return503OnClosing: while closing, a request on an open keep-alive connection is still
    // served (with `Connection: close`), as Node's own server does, not answered by Fastify's
    // own 503 body, which is not the protocol's JSON.
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, return503OnClosing: false }),
    { logger: logging.nest, abortOnError: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // The first hook, before the body is read: a request refused for its body has an id too.
  fastify.addHook('onRequest', (request, reply, done) => {
    logging.middleware(request.raw, reply.raw, done);
  });
  // Bodies are read as sent (no gzip or deflate): refused before any parser runs.
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    try {
      refuseEncodedBody(request.headers);
      done(null, payload);
    } catch (error) {
      done(error as Error);
    }
  });
  // Fastify reads the body in the socket's events, outside the context the first hook entered:
  // enter it again before guards and handlers, so their log lines carry the request id.
  fastify.addHook('preValidation', (request, _reply, done) => {
    logging.resume(request.raw, done);
  });
  // The token, revocation and introspection bodies (RFC 6749 §3.2, RFC 7009, RFC 7662); JSON is
  // Fastify's own parser, under the same limit.
  app.useBodyParser(FORM_MEDIA_TYPE, { bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    try {
      done(null, parseFormBody(request.headers['content-type'], body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
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
    await fastify.ready();
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
