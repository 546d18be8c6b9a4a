import { decodeJwt } from 'jose';
import { ChainError } from '@baton/chain';
import { oauthErrorFromChain } from '../oauth/chain-error.map.js';
import type { HttpRequest } from '../oauth/http-types.js';
import { OAuthError } from '../oauth/oauth-error.js';
import type { AuditEventInput } from './audit-event.js';

const MAX_FIELD = 256;

/**
 * Facts of one refused token request: the rule that refused (the OAuth error, the library's
 * invariant code where a chain failed, the public description naming the check), the client as
 * the request names it, and the issuer the presented subject token claims. Never the presented
 * token, an assertion, a proof or a secret.
 */
export function tokenRefusedEvent(
  request: HttpRequest,
  error: unknown,
): Omit<AuditEventInput, 'at'> {
  const form = formOf(request.body);
  const clientId = bounded(form['client_id']) ?? basicClientId(request.headers.authorization);
  const presentingIssuer = claimedIssuer(form['subject_token']);
  return {
    kind: 'token.refused',
    ...(clientId === undefined ? {} : { clientId }),
    data: {
      ...refusalRule(error),
      grantType: bounded(form['grant_type']) ?? null,
      presentingIssuer: presentingIssuer ?? null,
    },
  };
}

function refusalRule(error: unknown): Record<string, unknown> {
  if (error instanceof ChainError) {
    const mapped = oauthErrorFromChain(error);
    return {
      error: mapped.error,
      rule: error.code,
      invariant: error.invariant,
      description: mapped.description,
    };
  }
  if (error instanceof OAuthError) {
    const chain = error.cause instanceof ChainError ? error.cause : undefined;
    if (chain !== undefined && error.status < 500) {
      return {
        error: error.error,
        rule: chain.code,
        invariant: chain.invariant,
        description: error.description,
      };
    }
    return error.status >= 500
      ? { error: 'server_error', rule: 'server_error', description: 'internal error' }
      : { error: error.error, rule: error.error, description: error.description };
  }
  return { error: 'server_error', rule: 'server_error', description: 'internal error' };
}

function formOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

function bounded(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, MAX_FIELD) : undefined;
}

function basicClientId(authorization: string | string[] | undefined): string | undefined {
  if (typeof authorization !== 'string' || !/^basic /i.test(authorization)) {
    return undefined;
  }
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    return undefined;
  }
  try {
    return bounded(decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')));
  } catch {
    return undefined;
  }
}

/** The `iss` the subject token claims, read without verification (it may be why it was refused). */
function claimedIssuer(token: unknown): string | undefined {
  if (typeof token !== 'string' || token.length > 64 * 1024) {
    return undefined;
  }
  try {
    return bounded(decodeJwt(token).iss);
  } catch {
    return undefined;
  }
}
