import { clientAssertion, dpopProof, type Es256Key } from './es256.js';
import type { PreparedRequest } from './load.js';

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** A token endpoint the bench talks to: a Baton broker or the peer. */
export interface TokenServer {
  url: string;
}

function tokenRequest(
  server: TokenServer,
  form: Record<string, string>,
  key: Es256Key,
  extraHeaders: Record<string, string> = {},
): PreparedRequest {
  return {
    method: 'POST',
    url: `${server.url}/token`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      dpop: dpopProof(key, 'POST', `${server.url}/token`),
      ...extraHeaders,
    },
    body: new URLSearchParams(form).toString(),
  };
}

function assertionFields(server: TokenServer, key: Es256Key): Record<string, string> {
  return {
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: clientAssertion(key, 'agent', server.url),
  };
}

/** `client_credentials` with DPoP, authenticated by `private_key_jwt` or `client_secret_basic`. */
export function issuanceRequests(
  server: TokenServer,
  key: Es256Key,
  count: number,
  auth: { kind: 'private_key_jwt' } | { kind: 'client_secret_basic'; secret: string },
): PreparedRequest[] {
  return Array.from({ length: count }, () =>
    auth.kind === 'private_key_jwt'
      ? tokenRequest(
          server,
          {
            grant_type: 'client_credentials',
            scope: 'read write',
            ...assertionFields(server, key),
          },
          key,
        )
      : tokenRequest(server, { grant_type: 'client_credentials', scope: 'read write' }, key, {
          authorization: `Basic ${Buffer.from(`service:${auth.secret}`).toString('base64')}`,
        }),
  );
}

/** RFC 8693 exchange of each subject token once, toward `audience`. */
export function exchangeRequests(
  server: TokenServer,
  key: Es256Key,
  subjectTokens: readonly string[],
  audience: string,
): PreparedRequest[] {
  return subjectTokens.map((subjectToken) =>
    tokenRequest(
      server,
      {
        grant_type: TOKEN_EXCHANGE,
        subject_token: subjectToken,
        subject_token_type: ACCESS_TOKEN_TYPE,
        audience,
        ...assertionFields(server, key),
      },
      key,
    ),
  );
}

/** `GET path` with `Authorization: DPoP` and a fresh proof, cycling through `tokens`. */
export function resourceRequests(
  base: string,
  path: string,
  key: Es256Key,
  tokens: readonly string[],
  count: number,
): PreparedRequest[] {
  return Array.from({ length: count }, (_, i) => {
    const token = tokens[i % tokens.length];
    return {
      method: 'GET',
      url: `${base}${path}`,
      headers: {
        authorization: `DPoP ${token}`,
        dpop: dpopProof(key, 'GET', `${base}${path}`, token),
      },
    };
  });
}

export function plainRequests(url: string, count: number): PreparedRequest[] {
  return Array.from({ length: count }, () => ({ method: 'GET', url, headers: {} }));
}

/** The access tokens of successful token responses. */
export function accessTokensOf(bodies: readonly (string | undefined)[]): string[] {
  return bodies.flatMap((body) => {
    if (body === undefined) {
      return [];
    }
    const token = (JSON.parse(body) as { access_token?: unknown }).access_token;
    return typeof token === 'string' ? [token] : [];
  });
}
