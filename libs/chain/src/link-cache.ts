import { BoundedMap } from './lib/bounded-map.js';
import type { LinkClaims } from './protocol/index.js';

/** What verifyChain remembers about a link whose signature and hop proof it has verified. */
export interface CachedLink {
  claims: LinkClaims;
  /** `jti` of the link's hop proof (kept so proofs stay distinct across a chain). */
  proofJti: string;
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
}

/** What verifyChain remembers about a presented token whose own signature it has verified. */
interface CachedToken {
  policy: object;
  expiresAt: number;
}

/**
 * A bounded cache of verified links keyed by their hash, so the common prefix of chains that
 * share hops is not verified again (signature and hop proof are the expensive parts), and of
 * the signatures of presented tokens whose whole chain verified, keyed by the token's hash (a
 * client presents its token on every call).
 *
 * Only signature (invariant 1) and hop proof (invariant 4) results are reused. Trust membership,
 * continuity, binding, attenuation, linkage, `act`, depth, expiry and revocation are checked
 * on every call. Share one cache only among verifiers that use the same TrustStore.
 */
export class LinkCache {
  readonly #entries: BoundedMap<string, CachedLink>;
  readonly #tokens: BoundedMap<string, CachedToken>;
  readonly ttlSeconds: number;

  constructor(options: LinkCacheOptions = {}) {
    this.#entries = new BoundedMap(options.maxEntries ?? 10_000);
    this.#tokens = new BoundedMap(options.maxEntries ?? 10_000);
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

  /** True when the token with `hash` had its signature verified under `policy`, younger than its TTL at `now`. */
  hasTokenSignature(hash: string, policy: object, now: number): boolean {
    const entry = this.#tokens.get(hash);
    return entry !== undefined && entry.policy === policy && entry.expiresAt > now;
  }

  /** Remembers that the token with `hash` is signed as its issuer's key requires, under `policy`. */
  setTokenSignature(hash: string, policy: object, now: number): void {
    this.#tokens.set(hash, { policy, expiresAt: now + this.ttlSeconds });
  }

  clear(): void {
    this.#entries.clear();
    this.#tokens.clear();
  }
}
