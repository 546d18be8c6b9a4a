import { decodeJwt } from 'jose';

interface ClaimingRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** Read once per request: the guard asks twice (whether to count the client, and under what). */
const claimed = new WeakMap<ClaimingRequest, string | undefined>();

/**
 * The client a token request names, unauthenticated, for rate limiting only: the HTTP Basic user
 * (RFC 6749 §2.3.1), the form's client_id, or the client assertion's `iss` (RFC 7523 §3).
 */
export function claimedClientId(request: ClaimingRequest): string | undefined {
  if (claimed.has(request)) {
    return claimed.get(request);
  }
  const clientId = readClaimedClientId(request);
  claimed.set(request, clientId);
  return clientId;
}

function readClaimedClientId(request: ClaimingRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && /^basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 ? safeDecode(decoded.slice(0, colon)) : undefined;
  }
  const body = (
    typeof request.body === 'object' && request.body !== null ? request.body : {}
  ) as Record<string, unknown>;
  if (typeof body.client_id === 'string') {
    return body.client_id;
  }
  if (typeof body.client_assertion === 'string') {
    try {
      const { iss } = decodeJwt(body.client_assertion);
      return typeof iss === 'string' ? iss : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
