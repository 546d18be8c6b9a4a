import { LinkCache, MemoryReplayStore, StatusListClient, type ReplayStore } from '@baton/chain';
import type { ChainModuleOptions } from './chain-module-options.js';

/** Options after start-up checks: one replay store, link cache and status list cache per module. */
export interface ResolvedChainOptions extends Omit<ChainModuleOptions, 'linkCache'> {
  publicBaseUrl: string;
  replayStore: ReplayStore;
  linkCache: LinkCache | undefined;
  statusLists: StatusListClient;
}

/** Bounds of the default link cache: entries of about 2 KB, each used for at most 300 s. */
export const DEFAULT_LINK_CACHE = { maxEntries: 10_000, ttlSeconds: 300 } as const;

export const RESOLVED_CHAIN_OPTIONS = Symbol('RESOLVED_CHAIN_OPTIONS');

/** Validates the options once at start-up; a bad public base URL stops the application. */
export function resolveChainOptions(options: ChainModuleOptions): ResolvedChainOptions {
  let base: URL;
  try {
    base = new URL(options.publicBaseUrl);
  } catch {
    throw new TypeError('ChainModule: publicBaseUrl must be an absolute http(s) URL');
  }
  if ((base.protocol !== 'https:' && base.protocol !== 'http:') || base.search || base.hash) {
    throw new TypeError(
      'ChainModule: publicBaseUrl must be an http(s) URL without query or fragment',
    );
  }
  return {
    ...options,
    publicBaseUrl: base.href.replace(/\/+$/, ''),
    replayStore: options.replayStore ?? new MemoryReplayStore(),
    linkCache:
      options.linkCache === false
        ? undefined
        : (options.linkCache ?? new LinkCache(DEFAULT_LINK_CACHE)),
    // Invariant 10 by default: every link's status list, fail-closed.
    statusLists: options.statusLists ?? new StatusListClient(),
  };
}
