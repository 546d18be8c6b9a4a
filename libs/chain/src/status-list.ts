import { StatusError } from './lib/errors.js';
import { BoundedMap } from './lib/bounded-map.js';
import { fetchCappedText } from './lib/fetch-json.js';
import { statusAt } from './lib/status-list-encoding.js';
import { verifyStatusListToken, type StatusListSnapshot } from './lib/verify-status-list-token.js';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  STATUS_LIST_MEDIA_TYPE,
  STATUS_VALID,
  type LinkClaims,
} from './protocol/index.js';
import type { TrustStore } from './trust-store.js';

export interface StatusListClientOptions {
  /** Fetch implementation. Default: global `fetch`. */
  fetch?: typeof fetch;
  /** Deadline for each status list request. Default 5000 ms. */
  fetchTimeoutMs?: number;
  /** Largest status list response accepted. Default 256 KiB. */
  maxResponseBytes?: number;
  /** Largest decompressed status list accepted. Default 2 MiB (2^24 one-bit statuses). */
  maxListBytes?: number;
  /** Cache lifetime when a list token has no `ttl`. Default 300 s. */
  defaultTtlSeconds?: number;
  /** Upper bound on any list's cache lifetime, whatever its `ttl`. Default 3600 s. */
  maxTtlSeconds?: number;
  /** How long a failed fetch is remembered before the list is asked for again. Default 5 s. */
  retryAfterSeconds?: number;
  /**
   * Issuers whose links are accepted when their status list cannot be had (unreachable, slow,
   * oversized, badly signed, index out of range). Every other issuer fails closed. A list that
   * was had and says "revoked" is never overridden.
   */
  failOpenIssuers?: readonly string[];
  /** Tolerance for the list token's `exp` and `iat`. Default 30 s. */
  clockSkew?: number;
  /** Most lists kept. Default 1000. */
  maxEntries?: number;
}

type Entry =
  | { ok: true; trust: TrustStore; snapshot: StatusListSnapshot }
  | { ok: false; trust: TrustStore; cause: unknown; retryAt: number };

/**
 * Checks the Token Status List reference (draft-ietf-oauth-status-list, "Referenced Token") of every link of a
 * chain, for verifyChain's `statusLists` option (invariant 10). Each list is fetched from the
 * link's `status.status_list.uri` with a deadline, a size cap and no redirects, verified with the
 * trust store's keys of the link's issuer, and cached until its `ttl`; concurrent verifications
 * share one fetch per list. A list that cannot be had refuses the link (`ERR_STATUS_UNAVAILABLE`)
 * unless its issuer is in `failOpenIssuers`; any status but VALID refuses it (`ERR_REVOKED`).
 *
 * Does not check links without a `status` claim (the claim is optional in chain profile 1), does
 * not follow redirects (the draft says a client SHOULD: a trusted URI cannot bounce the verifier
 * elsewhere), and never fetches for a link whose signature has not been verified first.
 *
 * @example
 * const statusLists = new StatusListClient({ failOpenIssuers: ['https://b.example'] });
 * await verifyChain(token, { trust, audience: 'https://c.example', statusLists });
 */
export class StatusListClient {
  readonly #entries: BoundedMap<string, Entry>;
  readonly #loading = new Map<string, Promise<Entry>>();
  readonly #failOpen: ReadonlySet<string>;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #maxListBytes: number;
  readonly #defaultTtl: number;
  readonly #maxTtl: number;
  readonly #retryAfter: number;
  readonly #clockSkew: number;

  constructor(options: StatusListClientOptions = {}) {
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.fetchTimeoutMs ?? 5000;
    this.#maxBytes = options.maxResponseBytes ?? 256 * 1024;
    this.#maxListBytes = options.maxListBytes ?? 2 * 1024 * 1024;
    this.#defaultTtl = options.defaultTtlSeconds ?? 300;
    this.#maxTtl = options.maxTtlSeconds ?? 3600;
    this.#retryAfter = options.retryAfterSeconds ?? 5;
    this.#clockSkew = options.clockSkew ?? DEFAULT_CLOCK_SKEW_SECONDS;
    this.#failOpen = new Set(options.failOpenIssuers ?? []);
    this.#entries = new BoundedMap(options.maxEntries ?? 1000);
  }

  /**
   * Invariant 10 (revocation) for `links`, oldest first: lists are loaded in parallel, then each
   * link's status is read in order, so the error names the oldest refused link.
   *
   * @throws StatusError `ERR_REVOKED` or `ERR_STATUS_UNAVAILABLE` with `detail.link` and `issuer`.
   */
  async check(links: readonly LinkClaims[], trust: TrustStore, now: number): Promise<void> {
    const entries = links.map((link) => this.#entryFor(link, trust, now));
    // Only lists not cached cost an await; cached ones are judged synchronously.
    const loaded = entries.some((entry) => entry instanceof Promise)
      ? await Promise.all(entries.map((entry) => Promise.resolve(entry)))
      : (entries as (Entry | undefined)[]);
    loaded.forEach((entry, index) => {
      if (entry !== undefined) {
        this.#judge(links[index], index, entry);
      }
    });
  }

  /** Forgets every cached list (for example after this process revoked something itself). */
  clear(): void {
    this.#entries.clear();
  }

  #entryFor(link: LinkClaims, trust: TrustStore, now: number): Entry | Promise<Entry> | undefined {
    const reference = link.status?.status_list;
    if (reference === undefined) {
      return undefined;
    }
    const key = `${link.iss}\n${reference.uri}`;
    const cached = this.#entries.get(key);
    if (cached !== undefined && cached.trust === trust && isFresh(cached, now)) {
      return cached;
    }
    let loading = this.#loading.get(key);
    if (loading === undefined) {
      loading = this.#load(link.iss, reference.uri, trust, now).then((entry) => {
        this.#entries.set(key, entry);
        this.#loading.delete(key);
        return entry;
      });
      this.#loading.set(key, loading);
    }
    return loading;
  }

  async #load(issuer: string, uri: string, trust: TrustStore, now: number): Promise<Entry> {
    try {
      const limits = { fetch: this.#fetch, timeoutMs: this.#timeoutMs, maxBytes: this.#maxBytes };
      // draft-ietf-oauth-status-list "Status List Request": GET the uri, asking for the JWT form.
      const compact = (await fetchCappedText(uri, STATUS_LIST_MEDIA_TYPE, limits)).trim();
      const snapshot = await verifyStatusListToken(compact, {
        issuer,
        uri,
        trust,
        now,
        clockSkew: this.#clockSkew,
        maxListBytes: this.#maxListBytes,
        defaultTtlSeconds: this.#defaultTtl,
        maxTtlSeconds: this.#maxTtl,
      });
      return { ok: true, trust, snapshot };
    } catch (cause) {
      return { ok: false, trust, cause, retryAt: now + this.#retryAfter };
    }
  }

  #judge(link: LinkClaims, index: number, entry: Entry): void {
    const idx = link.status!.status_list.idx;
    // draft "Validation Rules" step 6: an index outside the list is a failure to learn the status.
    const status = entry.ok ? statusAt(entry.snapshot.bytes, entry.snapshot.bits, idx) : undefined;
    if (status === undefined) {
      if (this.#failOpen.has(link.iss)) {
        return;
      }
      throw new StatusError('ERR_STATUS_UNAVAILABLE', 'status list unavailable', {
        link: index,
        issuer: link.iss,
        claim: 'status',
        cause: entry.ok ? undefined : entry.cause,
      });
    }
    // draft "Status Types Values": INVALID, SUSPENDED and application-specific values all withdraw the link here.
    if (status !== STATUS_VALID) {
      throw new StatusError('ERR_REVOKED', 'link revoked', {
        link: index,
        issuer: link.iss,
        claim: 'status',
        actual: status,
      });
    }
  }
}

function isFresh(entry: Entry, now: number): boolean {
  return entry.ok ? now < entry.snapshot.usableUntil : now < entry.retryAt;
}
