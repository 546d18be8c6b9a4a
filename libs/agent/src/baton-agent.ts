import * as oauth from 'oauth4webapi';
import {
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ACCESS_TOKEN,
} from '@baton/chain/protocol';
import type { AgentKey } from './agent-key.js';
import { hopProofClaims } from './lib/hop-claims.js';
import { isLoopbackHttp } from './lib/loopback.js';
import { withNonceRetry } from './lib/with-nonce-retry.js';

export interface BatonAgentOptions {
  /** The agent key: signs the client assertions and every DPoP proof. */
  readonly key: AgentKey;
  /** The agent's `client_id` where a step does not name one. */
  readonly clientId?: string;
  /** Called after each request with its outcome (never a token). */
  readonly observe?: (event: AgentRequestEvent) => void;
}

/** One request the agent made, for logs and progress displays. */
export interface AgentRequestEvent {
  readonly kind: 'token' | 'resource';
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** Refused first with `use_dpop_nonce`, then sent again with the server's nonce (RFC 9449 §8, §9). */
  readonly retriedWithNonce: boolean;
}

/** Where to get the origin token (RFC 6749 §4.4 with DPoP). */
export interface OriginStep {
  readonly issuer: string;
  readonly clientId?: string;
  readonly scope?: string;
}

/** One exchange (RFC 8693): at `issuer`'s token endpoint, toward `audience`. */
export interface ExchangeStep {
  readonly issuer: string;
  readonly audience: string;
  readonly clientId?: string;
  readonly scope?: string;
}

/** A DPoP-bound access token as a token endpoint answered it. */
export interface IssuedToken {
  readonly accessToken: string;
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly scope?: string;
  readonly expiresIn?: number;
  readonly issuedTokenType?: string;
  readonly retriedWithNonce: boolean;
}

/**
 * An agent that carries a Baton delegation chain, built on oauth4webapi: RFC 8414 discovery of
 * each issuer, the origin token by `client_credentials`, RFC 8693 exchanges hop by hop, and
 * DPoP-bound calls to a partner API. Every request is authenticated with `private_key_jwt`
 * (RFC 7523 §2.2) and carries a DPoP proof by the same key (RFC 9449), so every token stays bound
 * to it; a `use_dpop_nonce` refusal is retried once with the server's nonce. Plain `http:` is
 * accepted for loopback hosts only.
 *
 * Does not verify the tokens it receives (the next domain and the resource do), refresh them,
 * or retry anything but a nonce refusal. Token requests of one agent run one at a time.
 *
 * @example
 * const agent = new BatonAgent({ key: await loadOrCreateAgentKey('agent.jwk.json'), clientId: 'agent' });
 * const token = await agent.carry({ origin: { issuer: 'https://a.example', scope: 'orders:read' },
 *   hops: [{ issuer: 'https://a.example', audience: 'https://b.example' }] });
 * @throws the oauth4webapi error of a request that fails (`ResponseBodyError` carries the RFC 6749 §5.2 error).
 */
export class BatonAgent {
  readonly #key: AgentKey;
  readonly #clientId: string | undefined;
  readonly #observe: (event: AgentRequestEvent) => void;
  readonly #servers = new Map<string, Promise<oauth.AuthorizationServer>>();
  readonly #tokenDpop: oauth.DPoPHandle;
  readonly #resourceDpop: oauth.DPoPHandle;
  #proofClaims: Record<string, unknown> = {};
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: BatonAgentOptions) {
    this.#key = options.key;
    this.#clientId = options.clientId;
    this.#observe = options.observe ?? (() => undefined);
    const keyPair = { privateKey: options.key.privateKey, publicKey: options.key.publicKey };
    this.#tokenDpop = oauth.DPoP({}, keyPair, {
      [oauth.modifyAssertion]: (_header, payload) => Object.assign(payload, this.#proofClaims),
    });
    this.#resourceDpop = oauth.DPoP({}, keyPair);
  }

  /** The thumbprint every token of this agent is bound to (`cnf.jkt`). */
  get jkt(): string {
    return this.#key.jkt;
  }

  /** The origin token: `client_credentials` at `step.issuer`, bound to the agent key. */
  originToken(step: OriginStep): Promise<IssuedToken> {
    const parameters = new URLSearchParams(step.scope === undefined ? {} : { scope: step.scope });
    return this.#tokenRequest(
      step.issuer,
      step.clientId,
      GRANT_TYPE_CLIENT_CREDENTIALS,
      parameters,
      {},
    );
  }

  /** One hop: exchanges `subject` at `step.issuer` for a token whose audience is `step.audience`. */
  exchange(subject: string | IssuedToken, step: ExchangeStep): Promise<IssuedToken> {
    const subjectToken = typeof subject === 'string' ? subject : subject.accessToken;
    const parameters = new URLSearchParams({
      subject_token: subjectToken,
      subject_token_type: TOKEN_TYPE_ACCESS_TOKEN,
      audience: step.audience,
      ...(step.scope === undefined ? {} : { scope: step.scope }),
    });
    const target = {
      audience: step.audience,
      ...(step.scope === undefined ? {} : { scope: step.scope }),
    };
    const claims = hopProofClaims(subjectToken, target);
    return this.#tokenRequest(
      step.issuer,
      step.clientId,
      GRANT_TYPE_TOKEN_EXCHANGE,
      parameters,
      claims,
    );
  }

  /** The whole journey: the origin token, then each exchange in order; the last token. */
  async carry(journey: {
    origin: OriginStep;
    hops: readonly ExchangeStep[];
  }): Promise<IssuedToken> {
    let token = await this.originToken(journey.origin);
    for (const hop of journey.hops) {
      token = await this.exchange(token, hop);
    }
    return token;
  }

  /**
   * A request to a partner API with `Authorization: DPoP <token>` and a proof whose `ath` binds
   * it to the token (RFC 9449 §7). A refusal is returned as its response, not thrown.
   */
  async fetch(
    token: string | IssuedToken,
    url: string,
    init: {
      method?: string;
      headers?: Record<string, string>;
      body?: oauth.ProtectedResourceRequestBody;
    } = {},
  ): Promise<Response> {
    const accessToken = typeof token === 'string' ? token : token.accessToken;
    const target = new URL(url);
    const method = init.method ?? 'GET';
    const send = async (): Promise<Response> => {
      try {
        return await oauth.protectedResourceRequest(
          accessToken,
          method,
          target,
          new Headers(init.headers),
          init.body ?? null,
          { DPoP: this.#resourceDpop, [oauth.allowInsecureRequests]: isLoopbackHttp(target) },
        );
      } catch (error) {
        if (
          error instanceof oauth.WWWAuthenticateChallengeError &&
          !oauth.isDPoPNonceError(error)
        ) {
          return error.response;
        }
        throw error;
      }
    };
    const { result, retried } = await withNonceRetry(send, (response) => Promise.resolve(response));
    this.#observe({
      kind: 'resource',
      method,
      url,
      status: result.status,
      retriedWithNonce: retried,
    });
    return result;
  }

  #tokenRequest(
    issuer: string,
    clientId: string | undefined,
    grantType: string,
    parameters: URLSearchParams,
    proofClaims: Record<string, unknown>,
  ): Promise<IssuedToken> {
    const run = async (): Promise<IssuedToken> => {
      const as = await this.metadata(issuer);
      const client: oauth.Client = { client_id: this.#clientIdFor(clientId) };
      const auth = oauth.PrivateKeyJwt({ key: this.#key.privateKey, kid: this.#key.kid });
      if (as.token_endpoint === undefined) {
        throw new TypeError(`${issuer} publishes no token_endpoint`);
      }
      const endpoint = new URL(as.token_endpoint);
      const options = {
        DPoP: this.#tokenDpop,
        [oauth.allowInsecureRequests]: isLoopbackHttp(endpoint),
      };
      this.#proofClaims = proofClaims;
      try {
        const { result, retried } = await withNonceRetry(
          () => oauth.genericTokenEndpointRequest(as, client, auth, grantType, parameters, options),
          (response) => oauth.processGenericTokenEndpointResponse(as, client, response),
        );
        this.#observe({
          kind: 'token',
          method: 'POST',
          url: endpoint.href,
          status: 200,
          retriedWithNonce: retried,
        });
        return issuedToken(result, issuer, endpoint.href, retried);
      } finally {
        this.#proofClaims = {};
      }
    };
    const queued = this.#queue.then(run, run);
    this.#queue = queued.catch(() => undefined);
    return queued;
  }

  #clientIdFor(clientId: string | undefined): string {
    const chosen = clientId ?? this.#clientId;
    if (chosen === undefined) {
      throw new TypeError('no client_id: pass clientId to the step or to the agent');
    }
    return chosen;
  }

  /** The RFC 8414 metadata of `issuer`, fetched once per agent. */
  metadata(issuer: string): Promise<oauth.AuthorizationServer> {
    let server = this.#servers.get(issuer);
    if (server === undefined) {
      const url = new URL(issuer);
      // RFC 8414 §3: the issuer's authorization server metadata.
      server = oauth
        .discoveryRequest(url, {
          algorithm: 'oauth2',
          [oauth.allowInsecureRequests]: isLoopbackHttp(url),
        })
        .then((response) => oauth.processDiscoveryResponse(url, response));
      server.catch(() => this.#servers.delete(issuer));
      this.#servers.set(issuer, server);
    }
    return server;
  }
}

function issuedToken(
  answer: oauth.TokenEndpointResponse,
  issuer: string,
  tokenEndpoint: string,
  retriedWithNonce: boolean,
): IssuedToken {
  // RFC 9449 §5: a DPoP-bound token is answered with token_type DPoP; anything else is not bound.
  if (answer.token_type !== 'dpop') {
    throw new Error(`${tokenEndpoint} answered token_type ${answer.token_type}, not DPoP`);
  }
  return {
    accessToken: answer.access_token,
    issuer,
    tokenEndpoint,
    retriedWithNonce,
    ...(answer.scope === undefined ? {} : { scope: answer.scope }),
    ...(answer.expires_in === undefined ? {} : { expiresIn: answer.expires_in }),
    ...(typeof answer['issued_token_type'] === 'string'
      ? { issuedTokenType: answer['issued_token_type'] }
      : {}),
  };
}
