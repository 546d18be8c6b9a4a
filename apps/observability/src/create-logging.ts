import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import { storage, type Store } from 'nestjs-pino/storage.js';
import { pino, stdSerializers, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
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

/** The request's context, kept on the request so Fastify's `resume` re-enters the same one. */
const CONTEXT = Symbol('baton.logContext');
type RequestWithContext = IncomingMessage & { [CONTEXT]?: Store };

/**
 * Structured JSON logging with pino, wired into Nest through nestjs-pino's LoggerService and
 * request context. Requests are serialised as method and path only: headers (Authorization,
 * DPoP, cookies), query strings and bodies never reach a line, since they may carry tokens,
 * proofs, client secrets or assertions.
 *
 * The access line and the request context are made here rather than by pino-http, which builds
 * two child loggers per request whether or not anything logs: with the broker at `warn`, that
 * was 2–3% of its main thread. A request's logger (the root's child with `reqId`) is made the
 * first time something logs inside it, and the access line goes through the root with the
 * same fields pino-http wrote.
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
  const nest = new LevelCheckedNestLogger(root, new PinoLogger({ pinoHttp: { logger: root } }));
  return {
    root,
    destination,
    nest,
    middleware: (req, res, next) => {
      const reqId = requestIdFor(req.headers[REQUEST_ID_HEADER.toLowerCase()]);
      res.setHeader(REQUEST_ID_HEADER, reqId);
      const context = requestContext(root, reqId);
      (req as RequestWithContext)[CONTEXT] = context;
      if (!quiet.has(pathOf(req.url))) {
        logWhenDone(root, req, res, reqId);
      }
      storage.run(context, next);
    },
    resume: (req, next) => {
      storage.run((req as RequestWithContext)[CONTEXT] ?? requestContext(root, undefined), next);
    },
  };
}

/**
 * nestjs-pino's LoggerService, except that a line below the root's level returns at once.
 * nestjs-pino asks for the request's logger before pino drops the line, so a line nobody would
 * read still made the request's child logger: with the broker and the partner API at `warn`,
 * their `token issued` and `request verified` lines did on every request.
 */
class LevelCheckedNestLogger extends NestPinoLogger {
  constructor(
    private readonly root: Logger,
    logger: PinoLogger,
  ) {
    super(logger, {});
  }

  override verbose(message: unknown, ...optionalParams: unknown[]): void {
    if (this.root.isLevelEnabled('trace')) {
      super.verbose(message, ...optionalParams);
    }
  }

  override debug(message: unknown, ...optionalParams: unknown[]): void {
    if (this.root.isLevelEnabled('debug')) {
      super.debug(message, ...optionalParams);
    }
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    if (this.root.isLevelEnabled('info')) {
      super.log(message, ...optionalParams);
    }
  }

  override warn(message: unknown, ...optionalParams: unknown[]): void {
    if (this.root.isLevelEnabled('warn')) {
      super.warn(message, ...optionalParams);
    }
  }

  override error(message: unknown, ...optionalParams: unknown[]): void {
    if (this.root.isLevelEnabled('error')) {
      super.error(message, ...optionalParams);
    }
  }

  override fatal(message: unknown, ...optionalParams: unknown[]): void {
    if (this.root.isLevelEnabled('fatal')) {
      super.fatal(message, ...optionalParams);
    }
  }
}

/**
 * nestjs-pino's context for one request: its `logger` is the root's child carrying `reqId`,
 * made on first use (nestjs-pino's `assign` replaces it with a child of its own).
 */
function requestContext(root: Logger, reqId: string | undefined): Store {
  let logger: Logger | undefined = reqId === undefined ? root : undefined;
  return {
    get logger(): Logger {
      return (logger ??= root.child({ reqId }));
    },
    set logger(value: Logger) {
      logger = value;
    },
  };
}

/**
 * One access line when the response is finished or the connection closes first: `info`, or
 * `error` with the error when the response failed or its status is 5xx.
 */
function logWhenDone(root: Logger, req: IncomingMessage, res: ServerResponse, reqId: string): void {
  const started = Date.now();
  const done = (error?: unknown) => {
    res.off('finish', done);
    res.off('close', done);
    res.off('error', done);
    const line = {
      reqId,
      req: { method: req.method, path: pathOf(req.url) },
      res: { statusCode: res.statusCode },
      responseTime: Date.now() - started,
    };
    if (error instanceof Error || res.statusCode >= 500) {
      const err =
        error instanceof Error ? error : new Error(`failed with status code ${res.statusCode}`);
      root.error({ ...line, err }, 'request failed');
      return;
    }
    root.info(line, 'request completed');
  };
  res.on('finish', done);
  res.on('close', done);
  res.on('error', done);
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '').split('?', 1)[0];
  return path.length > 512 ? `${path.slice(0, 512)}…` : path;
}
