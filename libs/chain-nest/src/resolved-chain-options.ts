import { MemoryReplayStore, StatusListClient, type ReplayStore } from '@baton/chain';
import type { ChainModuleOptions } from './chain-module-options.js';

/** Options after start-up checks, with one replay store and one status list cache for the module. */
export interface ResolvedChainOptions extends ChainModuleOptions {
  publicBaseUrl: string;
  replayStore: ReplayStore;
  statusLists: StatusListClient;
}

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
    // Invariant 10 by default: every link's status list, fail-closed.
    statusLists: options.statusLists ?? new StatusListClient(),
  };
}
