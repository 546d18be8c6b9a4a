import { MemoryReplayStore, trustStoreFromConfig } from '@baton/chain';
import type { ChainModuleOptions } from '@baton/chain-nest';
import type { ResourceServerConfig } from './config/resource-server-config.js';

/** The verification options the guard runs with, built from the validated configuration. */
export function chainOptionsFor(config: ResourceServerConfig): ChainModuleOptions {
  return {
    trust: trustStoreFromConfig(config.trust),
    audience: config.audience,
    publicBaseUrl: config.publicBaseUrl,
    replayStore: new MemoryReplayStore({ maxEntries: config.replayStore.maxEntries }),
    dpopAlgorithms: config.dpop.algorithms,
    dpopMaxAge: config.dpop.maxAgeSeconds,
    clockSkew: config.dpop.clockSkewSeconds,
    maxDepth: config.policy.maxChainDepth,
    maxTokenBytes: config.policy.maxTokenBytes,
    requireBoundHopProofs: config.policy.requireBoundHopProofs,
    ...(config.realm === undefined ? {} : { realm: config.realm }),
  };
}
