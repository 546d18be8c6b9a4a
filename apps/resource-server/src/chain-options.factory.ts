import {
  failOpenIssuersOf,
  MemoryReplayStore,
  StatusListClient,
  trustStoreFromConfig,
} from '@baton/chain';
import type { ChainModuleOptions } from '@baton/chain-nest';
import { decisionLogHook, type DecisionLogWriter } from './audit/decision-log.js';
import type { ResourceServerConfig } from './config/resource-server-config.js';
import type { ResourceServerMetrics } from './observability/resource-server-metrics.js';
import { observeVerification } from './observability/verification-log.js';

/**
 * The verification options the guard runs with, built from the validated configuration; every
 * decision goes to `decisionLog`.
 */
export function chainOptionsFor(
  config: ResourceServerConfig,
  metrics: ResourceServerMetrics,
  decisionLog: DecisionLogWriter,
): ChainModuleOptions {
  return {
    trust: trustStoreFromConfig(config.trust, { onKeySourceEvent: metrics.onKeySourceEvent }),
    onVerification: observeVerification(metrics),
    audience: config.audience,
    publicBaseUrl: config.publicBaseUrl,
    replayStore: new MemoryReplayStore({ maxEntries: config.replayStore.maxEntries }),
    statusLists: new StatusListClient({
      failOpenIssuers: failOpenIssuersOf(config.trust),
      clockSkew: config.dpop.clockSkewSeconds,
    }),
    dpopAlgorithms: config.dpop.algorithms,
    dpopMaxAge: config.dpop.maxAgeSeconds,
    clockSkew: config.dpop.clockSkewSeconds,
    maxDepth: config.policy.maxChainDepth,
    maxTokenBytes: config.policy.maxTokenBytes,
    requireBoundHopProofs: config.policy.requireBoundHopProofs,
    ...(config.realm === undefined ? {} : { realm: config.realm }),
    onDecision: decisionLogHook(decisionLog),
  };
}
