import { MemoryReplayStore, TrustStore, type TrustedIssuer } from '@baton/chain';
import { tokenEndpointOf } from '@baton/chain/protocol';
import type { ChainModuleOptions } from '@baton/chain-nest';
import {
  decisionLogHook,
  stdoutDecisionLog,
  type DecisionLogWriter,
} from './audit/decision-log.js';
import type { ResourceServerConfig, TrustedIssuerConfig } from './config/resource-server-config.js';

/**
 * The verification options the guard runs with, built from the validated configuration; every
 * decision goes to the decision log (standard output unless told otherwise).
 */
export function chainOptionsFor(
  config: ResourceServerConfig,
  decisionLog: DecisionLogWriter = stdoutDecisionLog,
): ChainModuleOptions {
  return {
    trust: new TrustStore({ issuers: config.trustedIssuers.map(toTrustedIssuer) }),
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
    onDecision: decisionLogHook(decisionLog),
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
