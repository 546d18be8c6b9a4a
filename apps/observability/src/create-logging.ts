import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage.js';
import { pino, stdSerializers, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { LogLevelName } from './log-levels.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';

export interface LoggingOptions {
  /** `service` field on every line (`baton-broker`, `baton-resource-server`). */
  readonly service: string;
  readonly level: LogLevelName;
  /** Where JSON lines go. Default standard output. */
  readonly destination?: DestinationStream;
  /** Paths whose requests get no access-log line (health probes). */
  readonly quietPaths?: readonly string[];
}

export interface Logging {
  /** The root pino logger (lines outside any request). */
  readonly root: Logger;
  /** Where the JSON lines go (asynchronous on standard output by default); other JSON lines may share it. */
  readonly destination: DestinationStream;
  /** Nest's LoggerService over pino: lines from `new Logger(context)` carry the request id. */
  readonly nest: LoggerService;
  /**
   * Express middleware, or a Fastify `onRequest` hook on the raw request and response, to run
   * before anything else (body parsers included): assigns the request id, answers it in
   * `X-Request-Id`, writes one access line per request, and runs the rest of the request in a
   * context whose logger carries `reqId`.
   */
  readonly middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  /**
   * Runs `next` in the context the middleware entered for `req` again. Fastify reads a body in
   * the socket's events, outside that context: it calls this after the body is read.
   */
  readonly resume: (req: IncomingMessage, next: () => void) => void;
}

type RequestWithId = IncomingMessage & { id?: unknown; log?: Logger };

/**
 * Structured JSON logging with pino, wired into Nest through nestjs-pino's LoggerService and
 * request context. Requests are serialised as method and path only: headers (Authorization,
 * DPoP, cookies), query strings and bodies never reach a line, since they may carry tokens,
 * proofs, client secrets or assertions.
 */
export function createLogging(options: LoggingOptions): Logging {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  const root = pino(
    {
      level: options.level,
      base: { service: options.service },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err },
    },
    destination,
  );
  const quiet = new Set(options.quietPaths ?? []);
  const http = pinoHttp({
    logger: root,
    quietReqLogger: true,
    genReqId: (req, res) => {
      const id = requestIdFor(req.headers['x-request-id']);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    serializers: {
      req: (req: { method?: string; url?: string }) => ({
        method: req.method,
        path: pathOf(req.url),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) =>
      error !== undefined || res.statusCode >= 500 ? 'error' : 'info',
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    autoLogging: { ignore: (req) => quiet.has(pathOf(req.url)) },
  });
  const nest = new NestPinoLogger(new PinoLogger({ pinoHttp: { logger: root } }), {});
  return {
    root,
    destination,
    nest,
    middleware: (req, res, next) => {
      http(req, res);
      const log = (req as RequestWithId).log ?? root;
      storage.run(new Store(log), next);
    },
    resume: (req, next) => {
      storage.run(new Store((req as RequestWithId).log ?? root), next);
    },
  };
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '').split('?', 1)[0];
  return path.length > 512 ? `${path.slice(0, 512)}…` : path;
}
