import { BoundedMap } from './lib/bounded-map.js';
import { copyJson, deepFreeze } from './lib/json.js';
import type { ParsedChainedToken } from './lib/parse-chain.js';
import type { LinkClaims } from './protocol/index.js';

/** What verifyChain remembers about a link whose signature and hop proof it has verified. */
export interface CachedLink {
  claims: LinkClaims;
  /** `jti` of the link's hop proof (kept so proofs stay distinct across a chain). */
  proofJti: string;
  /** The hop proof's claims, decoded (frozen), for the hop order and binding checks. */
  proofClaims: Readonly<Record<string, unknown>>;
  /** The policy the link was verified under; a hit under another policy is ignored. */
  policy: object;
  /** Epoch seconds after which the entry is not used. */
  expiresAt: number;
}

export interface LinkCacheOptions {
  /** Default 10 000 entries. */
  maxEntries?: number;
  /** Longest time an entry is used, in seconds (bounds reuse after a key is withdrawn). Default 300. */
  ttlSeconds?: number;
  /** Most presented tokens remembered (each about four times its size); 0 remembers none. Default 1 000. */
  maxTokens?: number;
  /** Most signatures remembered by rememberSignature (about 200 bytes each). Default 30 000. */
  maxSignatures?: number;
}

/** What verifyChain remembers about a presented token whose whole chain it has verified. */
interface CachedToken {
  /** The token as presented; its entry is found by its signature and compared whole. */
  compact: string;
  /** The token decoded and shape-checked (invariant 0) under `maxDepth`; frozen, never handed out. */
  token: ParsedChainedToken;
  /** Its base64url SHA-256 (the DPoP proof's `ath` is compared with it). */
  hash: string;
  maxDepth: number;
  policy: object;
  expiresAt: number;
}

/** A JWS whose signature this process made or checked (rememberSignature). */
interface KnownSignature {
  /** The issuer of a domain's token or link; the key thumbprint of a DPoP proof. */
  signer: string;
  expiresAt: number;
}

/**
 * A bounded cache of verified links keyed by their hash, so the common prefix of chains that
 * share hops is not verified again (signature and hop proof are the expensive parts), and of
 * presented tokens whose whole chain verified, found by the token (a client presents its
 * token on every call): their decoded, shape-checked form and their own signature.
 *
 * Only decoding and shape (invariant 0), signature (invariant 1) and hop proof (invariant 4)
 * results are reused. Trust membership, continuity, binding, attenuation, linkage, `act`,
 * depth, expiry and revocation are checked on every call. Share one cache only among verifiers
 * that use the same TrustStore. A broker also tells it which tokens and links it signed and
 * which DPoP proofs it verified (rememberSignature): their signatures are not recomputed when
 * they come back for exchange.
 */
export class LinkCache {
  readonly #entries: BoundedMap<string, CachedLink>;
  readonly #tokens: BoundedMap<string, CachedToken>;
  readonly #signatures: BoundedMap<string, KnownSignature>;
  readonly #rememberTokens: boolean;
  readonly ttlSeconds: number;

  constructor(options: LinkCacheOptions = {}) {
    this.#entries = new BoundedMap(options.maxEntries ?? 10_000);
    this.#tokens = new BoundedMap(options.maxTokens ?? 1000);
    this.#signatures = new BoundedMap(options.maxSignatures ?? 30_000);
    this.#rememberTokens = options.maxTokens !== 0;
    this.ttlSeconds = options.ttlSeconds ?? 300;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry for `hash` if it was stored under `policy` and is younger than its TTL at `now`. */
  get(hash: string, policy: object, now: number): CachedLink | undefined {
    const entry = this.#entries.get(hash);
    if (entry === undefined || entry.policy !== policy || entry.expiresAt <= now) {
      return undefined;
    }
    return entry;
  }

  set(hash: string, entry: CachedLink): void {
    this.#entries.set(hash, entry);
  }

  /**
   * The token `compact`, as decoded when its chain verified under `policy` and `maxDepth`, and
   * its hash, if younger than its TTL at `now`. Found without hashing the token: keyed by its
   * signature segment, then compared whole. Shared and frozen: copy what leaves the verifier.
   */
  getToken(
    compact: string,
    policy: object,
    now: number,
    maxDepth: number,
  ): { token: ParsedChainedToken; hash: string } | undefined {
    if (!this.#rememberTokens) {
      return undefined;
    }
    const entry = this.#tokens.get(tokenKey(compact));
    return entry !== undefined &&
      entry.compact === compact &&
      entry.policy === policy &&
      entry.maxDepth === maxDepth &&
      entry.expiresAt > now
      ? entry
      : undefined;
  }

  /**
   * Remembers a frozen copy of `token` (the decoded `compact`, whose base64url SHA-256 is
   * `hash`), whose whole chain verified under `policy` and `maxDepth`.
   */
  setToken(
    compact: string,
    hash: string,
    token: ParsedChainedToken,
    policy: object,
    maxDepth: number,
    now: number,
  ): void {
    if (!this.#rememberTokens) {
      return;
    }
    this.#tokens.set(tokenKey(compact), {
      compact,
      token: deepFreeze(copyJson(token)),
      hash,
      maxDepth,
      policy,
      expiresAt: now + this.ttlSeconds,
    });
  }

  /**
   * Remembers that the compact JWS whose base64url SHA-256 is `hash` carries a good signature by
   * `signer`, for `ttlSeconds` from `now`. Two kinds, both only what this process knows first-hand:
   *
   * - a token or link it signed itself with its own published key (IssuedChain's `tokenHash` and
   *   last `linkHashes` entry); `signer` is its issuer. When verifyChain meets it, invariant 1
   *   runs whole except the signature arithmetic: the issuer is trusted in its role, the header
   *   names no key of its own, its `kid` and `alg` still select a key the issuer publishes (a key
   *   withdrawn since takes effect at once). Share the cache only with verifiers whose TrustStore
   *   holds that key.
   * - a DPoP proof whose signature it verified (a broker's token endpoint, for the proof it puts
   *   in the link); `signer` is the RFC 7638 thumbprint of the proof's `jwk`. As a hop proof,
   *   every check of invariant 4 runs but the import of that key and the arithmetic.
   */
  rememberSignature(hash: string, signer: string, now: number): void {
    this.#signatures.set(hash, { signer, expiresAt: now + this.ttlSeconds });
  }

  /** Whether rememberSignature was told, within its TTL at `now`, that `signer` signed `hash`. */
  knowsSignature(hash: string, signer: string, now: number): boolean {
    const entry = this.#signatures.get(hash);
    return entry !== undefined && entry.signer === signer && entry.expiresAt > now;
  }

  clear(): void {
    this.#entries.clear();
    this.#tokens.clear();
    this.#signatures.clear();
  }
}

/**
 * A presented token's key in the cache: its signature segment (the text after its last `.`).
 * A Map hashes a key string it has not seen whole, about 9 µs for a 6 KB token on every call;
 * the signature is short and as distinct, and the entry's own `compact` is compared with the
 * token (one memory compare), so a different token with the same signature never hits.
 */
function tokenKey(compact: string): string {
  return compact.slice(compact.lastIndexOf('.') + 1);
}
