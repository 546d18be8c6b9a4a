import { CLIENT_ASSERTION_TYPE_JWT_BEARER } from '@baton/chain/protocol';
import type { ClientAuthMethod } from '../config/broker-config.js';
import { invalidRequest, OAuthError } from '../oauth/oauth-error.js';
import type { TokenForm } from '../token/token-form.js';

/** The one client authentication a token request carries, not yet verified. */
export type ClientAuthRequest =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; secret: string }
  | { method: 'private_key_jwt'; clientId: string | undefined; assertion: string };

/**
 * Finds the client authentication in a token request: HTTP Basic (RFC 6749 §2.3.1), the
 * form's client_secret (§2.3.1) or a JWT client assertion (RFC 7523 §2.2). Exactly one.
 */
export function readClientAuthentication(
  authorization: string | undefined,
  form: TokenForm,
): ClientAuthRequest {
  const basic = authorization !== undefined && /^basic /i.test(authorization);
  const post = form.has('client_secret');
  const jwt = form.has('client_assertion') || form.has('client_assertion_type');
  const used = [basic, post, jwt].filter(Boolean).length;
  // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
  if (used > 1) {
    throw invalidRequest('more than one client authentication method was used');
  }
  if (basic) {
    return readBasic(authorization.slice(6).trim(), form.get('client_id'));
  }
  if (post) {
    const clientId = form.get('client_id');
    if (clientId === undefined) {
      throw invalidRequest('parameter client_id is required with client_secret');
    }
    return { method: 'client_secret_post', clientId, secret: form.get('client_secret') as string };
  }
  if (jwt) {
    return readAssertion(form);
  }
  throw new OAuthError('invalid_client', 'client authentication is required');
}

function readBasic(credentials: string, formClientId: string | undefined): ClientAuthRequest {
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(credentials) || colon < 0) {
    throw new OAuthError('invalid_client', 'malformed HTTP Basic client credentials');
  }
  // RFC 6749 §2.3.1: client_id and secret are form-urlencoded before Basic encoding.
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (formClientId !== undefined && formClientId !== clientId) {
    throw invalidRequest('client_id does not match the authenticated client');
  }
  return { method: 'client_secret_basic', clientId, secret };
}

function readAssertion(form: TokenForm): ClientAuthRequest {
  const type = form.get('client_assertion_type');
  const assertion = form.get('client_assertion');
  if (type === undefined || assertion === undefined) {
    throw invalidRequest('client_assertion and client_assertion_type are both required');
  }
  // RFC 7523 §2.2: the JWT bearer client assertion type.
  if (type !== CLIENT_ASSERTION_TYPE_JWT_BEARER) {
    throw invalidRequest('unsupported client_assertion_type');
  }
  return { method: 'private_key_jwt', clientId: form.get('client_id'), assertion };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_client', 'malformed HTTP Basic client credentials');
  }
}

export type { ClientAuthMethod };
