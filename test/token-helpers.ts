/**
 * Helpers for token-endpoint tests: real HTTP requests to real broker domains, real DPoP proofs
 * and client assertions signed with real keys.
 */
import { expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import {
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ACCESS_TOKEN,
} from '@baton/chain/protocol';
import type { Agent } from '../libs/chain/test/fixtures/federation.js';

export const GRANTS = [GRANT_TYPE_CLIENT_CREDENTIALS, GRANT_TYPE_TOKEN_EXCHANGE];
export const SECRET = 'agent-secret-0123456789';

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Form fields; an array value sends the parameter once per element (to test repeats). */
export type Form = Record<string, string | string[] | undefined>;

export function encodeForm(form: Form): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const item of value === undefined ? [] : Array.isArray(value) ? value : [value]) {
      params.append(name, item);
    }
  }
  return params.toString();
}

export async function postToken(
  url: string,
  form: Form,
  options: { dpop?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<TokenAnswer> {
  const response = await fetch(`${url}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.dpop === undefined ? {} : { dpop: options.dpop }),
      ...options.headers,
    },
    body: options.body ?? encodeForm(form),
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text };
  }
  return { status: response.status, body, headers: response.headers };
}

/** A client registered with a secret (client_secret_post unless told otherwise). */
export function secretClient(
  clientId: string,
  scopes: string[],
  authMethod = 'client_secret_post',
): Record<string, unknown> {
  return { clientId, authMethod, secret: SECRET, scopes, grantTypes: GRANTS };
}

export interface KeyClient {
  clientId: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** Config entry for `clients:`. */
  config: Record<string, unknown>;
  assertion(
    audience: string,
    overrides?: Record<string, unknown>,
    header?: Record<string, unknown>,
  ): Promise<string>;
}

/** A private_key_jwt client with a fresh ES256 key. */
export async function keyClient(clientId: string, scopes: string[]): Promise<KeyClient> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  return {
    clientId,
    privateKey,
    publicJwk,
    config: {
      clientId,
      authMethod: 'private_key_jwt',
      jwks: { keys: [publicJwk] },
      scopes,
      grantTypes: GRANTS,
    },
    assertion: (audience, overrides = {}, header = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: clientId,
        sub: clientId,
        aud: audience,
        jti: randomUUID(),
        iat: now,
        exp: now + 60,
        ...overrides,
      };
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header })
        .sign(privateKey);
    },
  };
}

export function secretAuth(clientId: string, secret = SECRET): Form {
  return { client_id: clientId, client_secret: secret };
}

export async function proofFor(
  agent: Agent,
  issuer: string,
  extra: { nonce?: string; iat?: number; jti?: string } = {},
): Promise<string> {
  return agent.proof({ method: 'POST', url: `${issuer}/token`, ...extra });
}

export async function clientCredentials(
  domain: { url: string; issuer: string },
  auth: Form,
  agent: Agent,
  extra: Form = {},
): Promise<TokenAnswer> {
  return postToken(
    domain.url,
    { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, ...auth, ...extra },
    { dpop: await proofFor(agent, domain.issuer) },
  );
}

export async function exchange(
  domain: { url: string; issuer: string },
  auth: Form,
  agent: Agent,
  subjectToken: string,
  extra: Form = {},
  proof?: string,
): Promise<TokenAnswer> {
  return postToken(
    domain.url,
    {
      grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
      subject_token: subjectToken,
      subject_token_type: TOKEN_TYPE_ACCESS_TOKEN,
      ...auth,
      ...extra,
    },
    { dpop: proof ?? (await proofFor(agent, domain.issuer)) },
  );
}

/**
 * An RFC 6749 §5.2 error answer: the status (default 400), a JSON body with `error`, a
 * description matching `description` when given, and no token.
 */
export function expectError(
  answer: TokenAnswer,
  error: string,
  { status = 400, description = /./ }: { status?: number; description?: RegExp } = {},
): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.body.error).toBe(error);
  expect(answer.body.error_description).toMatch(description);
  expect(answer.body.access_token).toBeUndefined();
}
