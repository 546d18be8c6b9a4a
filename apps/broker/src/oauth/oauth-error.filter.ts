import { randomUUID } from 'node:crypto';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Inject,
  Logger,
} from '@nestjs/common';
import { ChainError } from '@baton/chain';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { isDatabaseUnavailable } from '../database/database-faults.js';
import type { HttpResponse } from './http-types.js';
import { oauthErrorFromChain } from './chain-error.map.js';
import { OAuthError } from './oauth-error.js';

interface ErrorAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Readonly<Record<string, string>>;
}

/**
 * The one global filter: every error leaves the broker as RFC 6749 §5.2 JSON with the headers
 * its code needs. Client faults (including body-parser failures: bad JSON, an unsupported media
 * type, a body over the limit) keep their 4xx status; anything else is a generic `server_error` whose id is
 * logged beside the fault, so no internal detail or token reaches the client. A database that
 * cannot answer (down, stalled, full) is a 503 `temporarily_unavailable` with `Retry-After`,
 * logged in one line; a 503 from the readiness check keeps terminus's report as its body.
 */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuthError');

  constructor(@Inject(BROKER_CONFIG) private readonly config: BrokerConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      throw exception;
    }
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const answer = this.answerFor(exception);
    if (response.sent || response.raw.headersSent) {
      response.raw.end();
      return;
    }
    response.status(answer.status);
    response.header('Cache-Control', 'no-store');
    response.header('Pragma', 'no-cache');
    for (const [name, value] of Object.entries(answer.headers)) {
      response.header(name, value);
    }
    response.send(answer.body);
  }

  private answerFor(exception: unknown): ErrorAnswer {
    if (exception instanceof ChainError) {
      return this.answerFor(oauthErrorFromChain(exception));
    }
    if (exception instanceof OAuthError && (exception.status < 500 || exception.status === 503)) {
      if (exception.detail !== undefined) {
        this.logger.debug(`${exception.error}: ${exception.detail}`);
      }
      return {
        status: exception.status,
        body: { error: exception.error, error_description: exception.description },
        headers: exception.headers,
      };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return fromHttpException(exception);
    }
    if (exception instanceof HttpException && exception.getStatus() === 503) {
      return this.unavailableReport(exception);
    }
    if (isDatabaseUnavailable(exception)) {
      return this.databaseUnavailable(exception);
    }
    const clientFault = requestFault(exception);
    if (clientFault !== undefined) {
      return clientFault;
    }
    return this.serverError(exception);
  }

  private databaseUnavailable(exception: unknown): ErrorAnswer {
    this.logger.warn(
      `temporarily_unavailable: the database cannot answer: ${summarize(exception)}`,
    );
    return {
      status: 503,
      body: {
        error: 'temporarily_unavailable',
        error_description: 'the service cannot record tokens right now; retry later',
      },
      headers: { 'Retry-After': String(this.config.databaseTimeouts.retryAfterSeconds) },
    };
  }

  /** Terminus's failed readiness report: sent as it is, without a stack trace in the log. */
  private unavailableReport(exception: HttpException): ErrorAnswer {
    const payload = exception.getResponse();
    return {
      status: 503,
      body:
        typeof payload === 'object' && payload !== null
          ? (payload as Record<string, unknown>)
          : { error: 'temporarily_unavailable' },
      headers: { 'Retry-After': String(this.config.databaseTimeouts.retryAfterSeconds) },
    };
  }

  private serverError(exception: unknown): ErrorAnswer {
    const errorId = randomUUID();
    const summary =
      exception instanceof OAuthError
        ? `${exception.description} ${exception.detail ?? ''}`
        : exception instanceof Error
          ? `${exception.name}: ${exception.message}`
          : typeof exception;
    const cause =
      exception instanceof Error && exception.cause instanceof Error ? exception.cause : undefined;
    this.logger.error(
      `server_error ${errorId}: ${summary}${cause ? ` (cause ${cause.name}: ${cause.message})` : ''}`,
      exception instanceof Error ? exception.stack : undefined,
    );
    return {
      status: 500,
      body: { error: 'server_error', error_description: `internal error ${errorId}` },
      headers: {},
    };
  }
}

/** The error and the innermost cause, one line. */
function summarize(exception: unknown): string {
  let innermost: unknown = exception;
  while (innermost instanceof Error && innermost.cause instanceof Error) {
    innermost = innermost.cause;
  }
  const line = (error: unknown) =>
    error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return innermost === exception
    ? line(exception)
    : `${line(exception)} (cause ${line(innermost)})`;
}

function fromHttpException(exception: HttpException): ErrorAnswer {
  const status = exception.getStatus();
  const payload = exception.getResponse();
  if (
    typeof payload === 'object' &&
    payload !== null &&
    isOAuthCode((payload as { error?: unknown }).error)
  ) {
    const { error, error_description } = payload as { error: string; error_description?: unknown };
    const body: Record<string, string> = { error };
    if (typeof error_description === 'string') {
      body.error_description = error_description;
    }
    return { status, body, headers: {} };
  }
  return {
    status,
    body: { error: codeForStatus(status), error_description: descriptionForStatus(status) },
    headers: {},
  };
}

/**
 * Fastify refuses a request it cannot read (bad JSON, no parser for the media type, a body over
 * the limit) with an error coded `FST_ERR_*` and a 4xx `statusCode`, which Nest passes through.
 */
function requestFault(exception: unknown): ErrorAnswer | undefined {
  if (typeof exception !== 'object' || exception === null) {
    return undefined;
  }
  const { statusCode: status, code } = exception as { statusCode?: unknown; code?: unknown };
  if (
    typeof status !== 'number' ||
    status < 400 ||
    status >= 500 ||
    typeof code !== 'string' ||
    !code.startsWith('FST_ERR_')
  ) {
    return undefined;
  }
  return {
    status,
    body: { error: 'invalid_request', error_description: descriptionForStatus(status) },
    headers: {},
  };
}

function isOAuthCode(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z][a-z_]{2,63}$/.test(value);
}

function codeForStatus(status: number): string {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'access_denied';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    default:
      return 'invalid_request';
  }
}

function descriptionForStatus(status: number): string {
  switch (status) {
    case 404:
      return 'no such endpoint';
    case 413:
      return 'the request body is too large';
    case 415:
      return 'the request body has an unsupported media type or encoding';
    default:
      return 'the request is malformed';
  }
}
