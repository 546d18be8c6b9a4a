import { MemoryReplayStore, StatusListClient, TrustStore, type TrustedIssuer } from '@baton/chain';
import { tokenEndpointOf } from '@baton/chain/protocol';
import type { ChainModuleOptions } from '@baton/chain-nest';
import type { ResourceServerConfig, TrustedIssuerConfig } from './config/resource-server-config.js';
import type { ResourceServerMetrics } from './observability/resource-server-metrics.js';
import { observeVerification } from './observability/verification-log.js';

/** The verification options the guard runs with, built from the validated configuration. */
export function chainOptionsFor(
  config: ResourceServerConfig,
  metrics: ResourceServerMetrics,
): ChainModuleOptions {
  return {
    trust: new TrustStore({
      issuers: config.trustedIssuers.map(toTrustedIssuer),
      onKeySourceEvent: metrics.onKeySourceEvent,
    }),
    onVerification: observeVerification(metrics),
    audience: config.audience,
    publicBaseUrl: config.publicBaseUrl,
    replayStore: new MemoryReplayStore({ maxEntries: config.replayStore.maxEntries }),
    statusLists: new StatusListClient({
      failOpenIssuers: config.trustedIssuers.filter((i) => i.statusFailOpen).map((i) => i.issuer),
      clockSkew: config.dpop.clockSkewSeconds,
    }),
    dpopAlgorithms: config.dpop.algorithms,
    dpopMaxAge: config.dpop.maxAgeSeconds,
    clockSkew: config.dpop.clockSkewSeconds,
    maxDepth: config.policy.maxChainDepth,
    maxTokenBytes: config.policy.maxTokenBytes,
    requireBoundHopProofs: config.policy.requireBoundHopProofs,
    ...(config.realm === undefined ? {} : { realm: config.realm }),
  };
}

/** A Baton broker with static keys serves its token endpoint at the protocol's `<issuer>/token`. */
function toTrustedIssuer(entry: TrustedIssuerConfig): TrustedIssuer {
  const tokenEndpoint =
    entry.tokenEndpoint ?? (entry.jwks === undefined ? undefined : tokenEndpointOf(entry.issuer));
  return {
    issuer: entry.issuer,
    roles: entry.roles,
    keys: entry.jwks === undefined ? { discover: true } : { jwks: { keys: [...entry.jwks.keys] } },
    ...(tokenEndpoint === undefined ? {} : { tokenEndpoint }),
    ...(entry.algorithms === undefined ? {} : { algorithms: entry.algorithms }),
  };
}
