import { invalidRequest } from '../oauth/oauth-error.js';
import { AUDIT_EVENT_KINDS } from './audit-event.js';

/** Filters of `GET /audit/events`; every one optional, all combined with AND. */
export interface AuditQuery {
  kind?: string;
  iss?: string;
  jti?: string;
  subject?: string;
  cnfJkt?: string;
  clientId?: string;
  /** Time window on the event time, epoch seconds, inclusive. */
  since?: number;
  until?: number;
  /** Events after this seq (from the opaque cursor). */
  after: number;
  limit: number;
}

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

/** Read and check the query string; a bad value is RFC 6749-style `invalid_request`. */
export function parseAuditQuery(query: Record<string, unknown>): AuditQuery {
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'string' || value === '' || value.length > 2048) {
      throw invalidRequest(`parameter ${name} must be given once, 1-2048 characters`);
    }
    return value;
  };
  const kind = text('kind');
  if (kind !== undefined && !(AUDIT_EVENT_KINDS as readonly string[]).includes(kind)) {
    throw invalidRequest(`parameter kind must be one of ${AUDIT_EVENT_KINDS.join(', ')}`);
  }
  const limit = text('limit');
  return {
    ...defined({
      kind,
      iss: text('iss'),
      jti: text('jti'),
      subject: text('subject'),
      cnfJkt: text('cnf_jkt'),
      clientId: text('client_id'),
      since: timeParam('since', text('since')),
      until: timeParam('until', text('until')),
    }),
    after: readCursor(text('cursor')),
    limit: limit === undefined ? DEFAULT_PAGE : boundedInteger('limit', limit, 1, MAX_PAGE),
  };
}

/** Epoch seconds or an ISO 8601 date-time. */
export function timeParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (/^\d{1,12}$/.test(value)) {
    return Number(value);
  }
  const millis = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(millis)) {
    throw invalidRequest(`parameter ${name} must be epoch seconds or an ISO 8601 date-time`);
  }
  return Math.floor(millis / 1000);
}

export function makeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

function readCursor(cursor: string | undefined): number {
  if (cursor === undefined) {
    return 0;
  }
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match === null) {
    throw invalidRequest('parameter cursor is not one this API returned');
  }
  return Number(match[1]);
}

function boundedInteger(name: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!/^\d{1,7}$/.test(value) || parsed < min || parsed > max) {
    throw invalidRequest(`parameter ${name} must be an integer from ${min} to ${max}`);
  }
  return parsed;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
