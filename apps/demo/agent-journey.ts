import * as oauth from 'oauth4webapi';
import { calculateJwkThumbprint, decodeJwt, importJWK, type JWK } from 'jose';
import { BatonAgent, importAgentKey as importBatonAgentKey, type IssuedToken } from '@baton/agent';
import { decodeChain, type DecodedChain } from '@baton/chain';
import {
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ACCESS_TOKEN,
} from '@baton/chain/protocol';
import { callResource, type ResourceAnswer } from './agent-journey-resource.js';

/** Where the agent goes: A (origin), B (exchanged onward), C (the audience of the last token). */
export interface AgentJourneyOptions {
  /** The agent's private JWK (`kid`, `alg`): it signs the client assertions and every DPoP proof. */
  readonly privateJwk: JWK;
  readonly origin: { readonly issuer: string; readonly clientId: string };
  readonly via: { readonly issuer: string; readonly clientId: string };
  readonly target: { readonly issuer: string };
  /** The partner API route called with the final token, e.g. `http://127.0.0.1:4004/api/whoami`. */
  readonly resourceUrl: string;
  /** Scope requested at the origin; default `orders:read`. */
  readonly scope?: string;
  /** One line per request as it happens (never a token). */
  readonly log?: (line: string) => void;
}

/** One HTTP exchange of the journey, as printed. */
export interface JourneyStep {
  readonly label: string;
  readonly request: string;
  readonly status: number;
  /** What came back, for a person (never a token). */
  readonly outcome: string;
  /** The first attempt was refused with `use_dpop_nonce` and retried with the server's nonce. */
  readonly retriedWithNonce: boolean;
}

export interface AgentJourneyResult {
  readonly agentKeyThumbprint: string;
  readonly steps: readonly JourneyStep[];
  /** T0 (A, aud A), T1 (A, aud B), T2 (B, aud C). */
  readonly tokens: readonly [string, string, string];
  /** The final token decoded without verification (the resource server verified it). */
  readonly final: DecodedChain;
  readonly resource: ResourceAnswer;
}

/**
 * The demo agent's journey (docs/demo.md), driven by `@baton/agent` (built on oauth4webapi):
 * RFC 8414 discovery at A and B; `client_credentials` at A; RFC 8693 token exchange at A
 * (audience B) and at B (audience C); then a DPoP-bound request to the partner API. Every request
 * carries a DPoP proof by the same agent key; a `use_dpop_nonce` answer is retried once.
 *
 * Does not verify the tokens it receives: the resource server does.
 * @throws the oauth4webapi error of the first request that fails.
 */
export async function runAgentJourney(options: AgentJourneyOptions): Promise<AgentJourneyResult> {
  const log = options.log ?? (() => undefined);
  const scope = options.scope ?? 'orders:read';
  const key = await importBatonAgentKey(options.privateJwk);
  log(`agent key: ${key.alg}, JWK thumbprint (cnf.jkt) ${key.jkt}`);
  const agent = new BatonAgent({ key });
  const steps: JourneyStep[] = [];
  const record = (step: JourneyStep): void => {
    steps.push(step);
    log(`   ← ${step.outcome}${step.retriedWithNonce ? ' (after a use_dpop_nonce retry)' : ''}`);
  };
  const { origin, via, target } = options;
  const endpoints = new Map<string, string>();
  for (const issuer of [origin.issuer, via.issuer, target.issuer]) {
    const as = await agent.metadata(issuer);
    log(`GET ${issuer}/.well-known/oauth-authorization-server  (RFC 8414 discovery)`);
    log(`   ← 200 issuer ${as.issuer}, token_endpoint ${as.token_endpoint ?? '(none)'}`);
    endpoints.set(issuer, as.token_endpoint ?? '?');
  }
  const request = (n: number, at: string, clientId: string, grant: string, shown: string) => {
    const line = `POST ${endpoints.get(at) ?? '?'}  grant_type=${grant} ${shown}  client_id=${clientId} (private_key_jwt)  DPoP: proof(htm=POST, htu)`;
    log(`${n}. ${line}`);
    return line;
  };
  const exchangeShown = (n: number, audience: string): string =>
    `subject_token=T${n - 2} subject_token_type=${TOKEN_TYPE_ACCESS_TOKEN} audience=${audience}`;

  const r0 = request(
    1,
    origin.issuer,
    origin.clientId,
    GRANT_TYPE_CLIENT_CREDENTIALS,
    `scope=${scope}`,
  );
  const t0 = await agent.originToken({ issuer: origin.issuer, clientId: origin.clientId, scope });
  record(tokenStep('T0', r0, t0));
  const r1 = request(
    2,
    origin.issuer,
    origin.clientId,
    GRANT_TYPE_TOKEN_EXCHANGE,
    exchangeShown(2, via.issuer),
  );
  const t1 = await agent.exchange(t0, { ...origin, audience: via.issuer });
  record(tokenStep('T1', r1, t1));
  const r2 = request(
    3,
    via.issuer,
    via.clientId,
    GRANT_TYPE_TOKEN_EXCHANGE,
    exchangeShown(3, target.issuer),
  );
  const t2 = await agent.exchange(t1, { ...via, audience: target.issuer });
  record(tokenStep('T2', r2, t2));

  const call = `GET ${options.resourceUrl}  Authorization: DPoP T2  DPoP: proof(htm=GET, htu, ath=SHA-256(T2))`;
  log(`4. ${call}`);
  const resource = await callResource(key, t2.accessToken, options.resourceUrl);
  record({
    label: 'resource',
    request: call,
    status: resource.status,
    outcome: resource.summary,
    retriedWithNonce: resource.retried,
  });
  if (resource.status !== 200) {
    throw new Error(`the partner API answered ${resource.status}: ${resource.summary}`);
  }
  const tokens = [t0, t1, t2].map((t) => t.accessToken) as [string, string, string];
  return {
    agentKeyThumbprint: key.jkt,
    steps,
    tokens,
    final: decodeChain(tokens[2]),
    resource,
  };
}

/** A token answer as shown: never the token, only what it says. */
function tokenStep(label: string, request: string, token: IssuedToken): JourneyStep {
  const claims = decodeJwt(token.accessToken);
  return {
    label,
    request,
    status: 200,
    outcome: `200 ${label}: token_type dpop, iss ${String(claims.iss)}, aud ${String(claims.aud)}, scope ${token.scope ?? String(claims['scope'])}, expires_in ${token.expiresIn ?? '?'}s`,
    retriedWithNonce: token.retriedWithNonce,
  };
}

/** The public half of a private JWK: every private member dropped. */
export function publicJwkOf(privateJwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicJwk } = privateJwk;
  return publicJwk;
}

/** The agent's key pair for oauth4webapi (public key extractable: it goes into each DPoP proof). */
export async function importAgentKey(
  privateJwk: JWK,
): Promise<{ keyPair: oauth.CryptoKeyPair; jkt: string; kid: string | undefined }> {
  const alg = privateJwk.alg ?? 'ES256';
  const publicJwk = publicJwkOf(privateJwk);
  const privateKey = (await importJWK(privateJwk, alg)) as oauth.CryptoKey;
  const publicKey = (await importJWK(publicJwk, alg, { extractable: true })) as oauth.CryptoKey;
  return {
    keyPair: { privateKey, publicKey },
    jkt: await calculateJwkThumbprint(publicJwk),
    kid: privateJwk.kid,
  };
}
