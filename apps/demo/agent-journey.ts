import * as oauth from 'oauth4webapi';
import { calculateJwkThumbprint, decodeJwt, importJWK, type JWK } from 'jose';
import { decodeChain, hopBinding, type DecodedChain } from '@baton/chain';
import {
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ACCESS_TOKEN,
} from '@baton/chain/protocol';
import { callResource, type ResourceAnswer } from './agent-journey-resource.js';
import { hopBindingDPoP } from './hop-binding-dpop.js';

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

const INSECURE = { [oauth.allowInsecureRequests]: true } as const;

interface Domain {
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly auth: oauth.ClientAuth;
}

/**
 * The demo agent's journey (docs/demo.md), driven by oauth4webapi: RFC 8414 discovery at A, B
 * and C; `client_credentials` at A; RFC 8693 token exchange at A (audience B) and at B (audience
 * C); then a DPoP-bound request to the partner API. Every request carries a DPoP proof by the
 * same agent key; a `use_dpop_nonce` answer is retried once with the nonce oauth4webapi cached.
 *
 * Does not verify the tokens it receives: the resource server does.
 * @throws the oauth4webapi error of the first request that fails.
 */
export async function runAgentJourney(options: AgentJourneyOptions): Promise<AgentJourneyResult> {
  const log = options.log ?? (() => undefined);
  const scope = options.scope ?? 'orders:read';
  const { keyPair, jkt, kid } = await importAgentKey(options.privateJwk);
  log(`agent key: ${options.privateJwk.alg ?? 'ES256'}, JWK thumbprint (cnf.jkt) ${jkt}`);
  const asA = await discover(options.origin.issuer, log);
  const asB = await discover(options.via.issuer, log);
  await discover(options.target.issuer, log);
  const auth = oauth.PrivateKeyJwt({ key: keyPair.privateKey, kid });
  const a: Domain = { as: asA, client: { client_id: options.origin.clientId }, auth };
  const b: Domain = { as: asB, client: { client_id: options.via.clientId }, auth };
  const binding = hopBindingDPoP(a.client, keyPair);
  const dpop = binding.handle;
  const steps: JourneyStep[] = [];
  const record = (step: JourneyStep): void => {
    steps.push(step);
    log(`   ← ${step.outcome}${step.retriedWithNonce ? ' (after a use_dpop_nonce retry)' : ''}`);
  };

  const exchange = (domain: Domain, subjectToken: string, audience: string) =>
    ({
      domain,
      grantType: GRANT_TYPE_TOKEN_EXCHANGE,
      parameters: {
        subject_token: subjectToken,
        subject_token_type: TOKEN_TYPE_ACCESS_TOKEN,
        audience,
      },
    }) as const;
  const origin = { domain: a, grantType: GRANT_TYPE_CLIENT_CREDENTIALS, parameters: { scope } };
  const t0 = await tokenRequest(1, origin, dpop, log, record);
  // docs/chain-spec.md §3.1: each exchange proof names its subject token and target (baton_hop).
  const t1 = await binding.bound(hopBinding(t0, { audience: options.via.issuer }), () =>
    tokenRequest(2, exchange(a, t0, options.via.issuer), dpop, log, record),
  );
  const t2 = await binding.bound(hopBinding(t1, { audience: options.target.issuer }), () =>
    tokenRequest(3, exchange(b, t1, options.target.issuer), dpop, log, record),
  );

  const request = `GET ${options.resourceUrl}  Authorization: DPoP T2  DPoP: proof(htm=GET, htu, ath=SHA-256(T2))`;
  log(`4. ${request}`);
  const resource = await callResource(t2, options.resourceUrl, dpop);
  record({
    label: 'resource',
    request,
    status: resource.status,
    outcome: resource.summary,
    retriedWithNonce: resource.retried,
  });
  if (resource.status !== 200) {
    throw new Error(`the partner API answered ${resource.status}: ${resource.summary}`);
  }
  return {
    agentKeyThumbprint: jkt,
    steps,
    tokens: [t0, t1, t2],
    final: decodeChain(t2),
    resource,
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

async function discover(
  issuer: string,
  log: (line: string) => void,
): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  // RFC 8414 §3: the authorization server metadata document of this issuer.
  const response = await oauth.discoveryRequest(url, { algorithm: 'oauth2', ...INSECURE });
  const as = await oauth.processDiscoveryResponse(url, response);
  log(`GET ${response.url}  (RFC 8414 discovery)`);
  log(`   ← 200 issuer ${as.issuer}, token_endpoint ${as.token_endpoint ?? '(none)'}`);
  return as;
}

interface TokenRequest {
  readonly domain: Domain;
  readonly grantType: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** Step `n` issues T(n-1); a subject token is shown by that name, never its value. */
async function tokenRequest(
  n: number,
  { domain, grantType, parameters }: TokenRequest,
  dpop: oauth.DPoPHandle,
  log: (line: string) => void,
  record: (step: JourneyStep) => void,
): Promise<string> {
  const shown = Object.entries(parameters)
    .map(([name, value]) => `${name}=${name === 'subject_token' ? `T${n - 2}` : value}`)
    .join(' ');
  const request = `POST ${domain.as.token_endpoint ?? '?'}  grant_type=${grantType} ${shown}  client_id=${domain.client.client_id} (private_key_jwt)  DPoP: proof(htm=POST, htu${grantType === GRANT_TYPE_TOKEN_EXCHANGE ? `, baton_hop=hop(T${n - 2}, audience)` : ''})`;
  log(`${n}. ${request}`);
  const options = { DPoP: dpop, ...INSECURE };
  const send = (): Promise<Response> =>
    grantType === GRANT_TYPE_CLIENT_CREDENTIALS
      ? oauth.clientCredentialsGrantRequest(
          domain.as,
          domain.client,
          domain.auth,
          parameters,
          options,
        )
      : oauth.genericTokenEndpointRequest(
          domain.as,
          domain.client,
          domain.auth,
          grantType,
          parameters,
          options,
        );
  const process = (response: Response): Promise<oauth.TokenEndpointResponse> =>
    grantType === GRANT_TYPE_CLIENT_CREDENTIALS
      ? oauth.processClientCredentialsResponse(domain.as, domain.client, response)
      : oauth.processGenericTokenEndpointResponse(domain.as, domain.client, response);
  let retried = false;
  let answer: oauth.TokenEndpointResponse;
  try {
    answer = await process(await send());
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) {
      throw error;
    }
    // RFC 9449 §8: the server asked for its nonce; oauth4webapi cached it from that answer.
    retried = true;
    answer = await process(await send());
  }
  const claims = decodeJwt(answer.access_token);
  record({
    label: `T${n - 1}`,
    request,
    status: 200,
    outcome: `200 T${n - 1}: token_type ${answer.token_type}, iss ${String(claims.iss)}, aud ${String(claims.aud)}, scope ${answer.scope ?? String(claims['scope'])}, expires_in ${answer.expires_in ?? '?'}s`,
    retriedWithNonce: retried,
  });
  return answer.access_token;
}
