import { importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import { emitKeySourceEvent, type KeySourceListener } from './key-source-event.js';
import { SignatureError } from './lib/errors.js';
import type { IssuerTrust } from './lib/issuer-trust.js';
import { authorizationServerMetadataUrl, readJwks, readMetadata } from './lib/discovery.js';
import { fetchJsonObject } from './lib/fetch-json.js';
import { findPrivateMember } from './lib/headers.js';
import { isNonEmptyString } from './lib/json.js';
import {
  DEFAULT_ISSUER_ROLES,
  DEFAULT_KEY_CACHE_TTL_SECONDS,
  DEFAULT_KEY_REFETCH_COOLDOWN_SECONDS,
  DEFAULT_SIGNING_ALGORITHM,
  DOMAIN_SIGNING_ALGORITHMS,
  type IssuerRole,
} from './protocol/index.js';
import { systemEpochSeconds } from './lib/time.js';

export interface TrustedIssuer {
  /** Exact issuer identifier, compared by string equality. */
  issuer: string;
  /** Default DEFAULT_ISSUER_ROLES (`present`, `upstream`). */
  roles?: readonly IssuerRole[];
  /** Static JWKS, RFC 8414 discovery, or a callback (a broker passes its own rotating keys). */
  keys: { jwks: JSONWebKeySet } | { discover: true } | { resolve: () => Promise<JSONWebKeySet> };
  /** The issuer's token endpoint (hop proofs name it); else read from RFC 8414 metadata. */
  tokenEndpoint?: string;
  /** Signature algorithms accepted from this issuer. Default `['ES256']`; never `none` or HMAC. */
  algorithms?: readonly string[];
}

export interface TrustStoreOptions {
  issuers: readonly TrustedIssuer[];
  /** Fetch implementation for discovery. Default: global `fetch`. */
  fetch?: typeof fetch;
  /** Minimum time between two refetches caused by an unknown `kid`. Default 10 s. */
  refetchCooldownSeconds?: number;
  /** How long fetched or resolved keys are used before they are loaded again. Default 300 s. */
  cacheTtlSeconds?: number;
  /** Deadline for each metadata or JWKS request. Default 5000 ms. */
  fetchTimeoutMs?: number;
  /** Largest metadata or JWKS response accepted. Default 256 KiB. */
  maxResponseBytes?: number;
  /** Current time in integer epoch seconds, for cache ages. Default `Math.floor(Date.now() / 1000)`. */
  now?: () => number;
  /** Told of every discovered-key fetch and cache hit (for metrics). Default none. */
  onKeySourceEvent?: KeySourceListener;
}

interface IssuerState {
  readonly config: TrustedIssuer;
  readonly roles: ReadonlySet<IssuerRole>;
  readonly algorithms: ReadonlySet<string>;
  jwks?: JSONWebKeySet;
  tokenEndpoint?: string;
  loadedAt?: number;
  lastRefetchAt?: number;
  loading?: Promise<void>;
  imported: Map<string, CryptoKey>;
}

/**
 * The verifier's trust set: which issuers it accepts, in which role, and their public keys.
 *
 * Keys come only from configuration, RFC 8414 discovery of a configured issuer, or a resolve
 * callback — never from a token's own `jku`/`x5u`/`jwk` headers, and nothing is ever fetched for
 * an issuer that is not configured. Fetched keys are cached for `cacheTtlSeconds`; an unknown
 * `kid` causes at most one refetch per `refetchCooldownSeconds`. Imported keys are cached by
 * issuer and `kid`.
 *
 * Does not check: certificate chains (`x5c`), key expiry metadata, or the issuer's revocation
 * lists; an issuer's keys are trusted exactly as published.
 *
 * @example
 * const trust = new TrustStore({ issuers: [{ issuer: 'https://a.example', keys: { discover: true } }] });
 */
export class TrustStore implements IssuerTrust {
  readonly #issuers = new Map<string, IssuerState>();
  readonly #fetch: typeof fetch;
  readonly #cooldown: number;
  readonly #ttl: number;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  readonly #onEvent: KeySourceListener | undefined;

  constructor(options: TrustStoreOptions) {
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#cooldown = options.refetchCooldownSeconds ?? DEFAULT_KEY_REFETCH_COOLDOWN_SECONDS;
    this.#ttl = options.cacheTtlSeconds ?? DEFAULT_KEY_CACHE_TTL_SECONDS;
    this.#timeoutMs = options.fetchTimeoutMs ?? 5000;
    this.#maxBytes = options.maxResponseBytes ?? 256 * 1024;
    this.#now = options.now ?? systemEpochSeconds;
    this.#onEvent = options.onKeySourceEvent;
    options.issuers.forEach((config, index) => {
      validateIssuerConfig(config, index);
      if (this.#issuers.has(config.issuer)) {
        throw new TypeError(`issuers[${index}].issuer is configured twice`);
      }
      this.#issuers.set(config.issuer, {
        config,
        roles: new Set(config.roles ?? DEFAULT_ISSUER_ROLES),
        algorithms: new Set(config.algorithms ?? [DEFAULT_SIGNING_ALGORITHM]),
        imported: new Map(),
      });
    });
  }

  /** True when `issuer` is configured with `role`. Pure lookup, never fetches. */
  isTrusted(issuer: string, role: IssuerRole): boolean {
    return this.#issuers.get(issuer)?.roles.has(role) ?? false;
  }

  /**
   * Resolves the public key `issuer` signed with, selected by the JWS header's `kid` and checked
   * against the issuer's algorithm allow-list (RFC 8725 §3.1).
   *
   * @throws SignatureError `ERR_UNTRUSTED_ISSUER`, `ERR_SIGNATURE` (alg or kid), `ERR_KEYS_UNAVAILABLE`.
   */
  async getVerificationKey(
    issuer: string,
    header: { kid?: string; alg?: string },
  ): Promise<CryptoKey> {
    const state = this.#state(issuer);
    const { alg, kid } = header;
    if (typeof alg !== 'string' || !state.algorithms.has(alg)) {
      throw new SignatureError('ERR_SIGNATURE', 'algorithm not allowed for this issuer', {
        issuer,
        claim: 'alg',
        expected: [...state.algorithms],
        actual: typeof alg === 'string' ? alg : undefined,
      });
    }
    if (!isNonEmptyString(kid, 512)) {
      throw new SignatureError('ERR_SIGNATURE', 'key id missing', { issuer, claim: 'kid' });
    }
    const loading = this.#ensureLoaded(state);
    const freshlyLoaded = loading !== false && (await loading);
    let jwk = findKey(state.jwks, kid);
    if (jwk === undefined && !freshlyLoaded && this.#mayRefetch(state)) {
      state.lastRefetchAt = this.#now();
      await this.#load(state);
      jwk = findKey(state.jwks, kid);
    }
    if (jwk === undefined) {
      throw new SignatureError('ERR_SIGNATURE', 'no key with this key id', {
        issuer,
        claim: 'kid',
      });
    }
    return state.imported.get(importKey(kid, alg)) ?? this.#import(state, jwk, kid, alg);
  }

  /**
   * The token endpoint of `issuer`: configured, or `token_endpoint` from its RFC 8414 metadata.
   *
   * @throws SignatureError `ERR_UNTRUSTED_ISSUER` or `ERR_KEYS_UNAVAILABLE` (unknown or unreachable).
   */
  async getTokenEndpoint(issuer: string): Promise<string> {
    const state = this.#state(issuer);
    if (state.config.tokenEndpoint !== undefined) {
      return state.config.tokenEndpoint;
    }
    if ('discover' in state.config.keys) {
      const loading = this.#ensureLoaded(state);
      if (loading !== false) {
        await loading;
      }
    }
    if (state.tokenEndpoint === undefined) {
      throw new SignatureError('ERR_KEYS_UNAVAILABLE', 'token endpoint unknown', {
        issuer,
        claim: 'token_endpoint',
      });
    }
    return state.tokenEndpoint;
  }

  #state(issuer: string): IssuerState {
    const state = this.#issuers.get(issuer);
    if (state === undefined) {
      throw new SignatureError('ERR_UNTRUSTED_ISSUER', 'issuer not trusted', { issuer });
    }
    return state;
  }

  #mayRefetch(state: IssuerState): boolean {
    if ('jwks' in state.config.keys) {
      return false;
    }
    return state.lastRefetchAt === undefined || this.#now() - state.lastRefetchAt >= this.#cooldown;
  }

  /**
   * Loads keys when absent or older than the TTL: false when they are fresh (no await needed on
   * every verification), else the load, resolving to true.
   */
  #ensureLoaded(state: IssuerState): false | Promise<true> {
    const fresh =
      state.jwks !== undefined &&
      ('jwks' in state.config.keys || this.#now() - (state.loadedAt ?? 0) < this.#ttl);
    if (fresh) {
      if ('discover' in state.config.keys) {
        this.#emit(state, 'cache-hit');
      }
      return false;
    }
    return this.#load(state).then(() => true);
  }

  #emit(state: IssuerState, outcome: 'fetched' | 'fetch-failed' | 'cache-hit'): void {
    emitKeySourceEvent(this.#onEvent, { resource: 'jwks', outcome, issuer: state.config.issuer });
  }

  #load(state: IssuerState): Promise<void> {
    state.loading ??= this.#fetchKeys(state).finally(() => {
      state.loading = undefined;
    });
    return state.loading;
  }

  async #fetchKeys(state: IssuerState): Promise<void> {
    const { keys, issuer } = state.config;
    let jwks: JSONWebKeySet;
    try {
      if ('jwks' in keys) {
        jwks = readJwks({ keys: keys.jwks.keys });
      } else if ('resolve' in keys) {
        jwks = readJwks({ keys: (await keys.resolve()).keys });
      } else {
        const limits = { fetch: this.#fetch, timeoutMs: this.#timeoutMs, maxBytes: this.#maxBytes };
        const metadata = readMetadata(
          issuer,
          await fetchJsonObject(authorizationServerMetadataUrl(issuer), limits),
        );
        jwks = readJwks(await fetchJsonObject(metadata.jwksUri, limits));
        state.tokenEndpoint = metadata.tokenEndpoint;
        this.#emit(state, 'fetched');
      }
    } catch (cause) {
      if ('discover' in keys) {
        this.#emit(state, 'fetch-failed');
      }
      throw new SignatureError('ERR_KEYS_UNAVAILABLE', 'issuer keys unavailable', {
        issuer,
        cause,
      });
    }
    state.jwks = jwks;
    state.loadedAt = this.#now();
    state.imported.clear();
  }

  async #import(state: IssuerState, jwk: JWK, kid: string, alg: string): Promise<CryptoKey> {
    const cacheKey = importKey(kid, alg);
    const cached = state.imported.get(cacheKey);
    if (cached !== undefined) {
      return cached;
    }
    const issuer = state.config.issuer;
    const unusable = (cause?: unknown) =>
      new SignatureError('ERR_SIGNATURE', 'published key unusable', {
        issuer,
        claim: 'kid',
        cause,
      });
    if (findPrivateMember(jwk) !== undefined) {
      throw unusable();
    }
    if (
      (jwk.alg !== undefined && jwk.alg !== alg) ||
      (jwk.use !== undefined && jwk.use !== 'sig')
    ) {
      throw unusable();
    }
    let key: CryptoKey;
    try {
      key = (await importJWK(jwk, alg)) as CryptoKey;
    } catch (cause) {
      throw unusable(cause);
    }
    state.imported.set(cacheKey, key);
    return key;
  }
}

function importKey(kid: string, alg: string): string {
  return `${kid}\u0000${alg}`;
}

function findKey(jwks: JSONWebKeySet | undefined, kid: string): JWK | undefined {
  return jwks?.keys.find((key) => key.kid === kid);
}

function validateIssuerConfig(config: TrustedIssuer, index: number): void {
  const path = `issuers[${index}]`;
  if (!isNonEmptyString(config.issuer)) {
    throw new TypeError(`${path}.issuer must be a non-empty string`);
  }
  const allowed: readonly string[] = DOMAIN_SIGNING_ALGORITHMS;
  for (const alg of config.algorithms ?? []) {
    if (!allowed.includes(alg)) {
      throw new TypeError(`${path}.algorithms: ${alg} is not an allowed domain signing algorithm`);
    }
  }
  const keys = config.keys as Record<string, unknown> | undefined;
  if (keys === undefined || !('jwks' in keys || 'discover' in keys || 'resolve' in keys)) {
    throw new TypeError(`${path}.keys must be { jwks }, { discover: true } or { resolve }`);
  }
}
