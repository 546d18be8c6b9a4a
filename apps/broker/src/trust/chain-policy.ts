import type { VerifiedChain } from '@baton/chain';
import type { BrokerConfig, ExternalIssuerConfig, PeerConfig } from '../config/broker-config.js';

/** One bound on the scope a token may carry, named for the refusal message. */
export interface ScopeLimit {
  /** Names the rule in error_description: "the client's allowed scopes", "the subject token's scope". */
  readonly name: string;
  readonly scopes: readonly string[];
}

/**
 * What this domain lets a chain do here, decided from every foreign issuer it came through
 * (docs/operations.md, "Peer policy along the chain"): the same for the exchange that brought
 * it in and for every later same-domain hop, because those hops keep the peers' links.
 */
export interface ChainPolicy {
  /** The peers among the chain's issuers (its links and the presented token), oldest first. */
  readonly upstreamPeers: readonly PeerConfig[];
  /** The external IdP whose token the chain started from, if any. */
  readonly origin: ExternalIssuerConfig | undefined;
  /** The domain's depth cap, lowered by every upstream peer's `maxChainDepth`. */
  readonly maxDepth: number;
  /** Scope limits from every upstream peer and the origin IdP. */
  readonly scopeLimits: readonly ScopeLimit[];
}

export function chainPolicyOf(config: BrokerConfig, subject: VerifiedChain): ChainPolicy {
  const issuers = new Set([...subject.links.map((link) => link.iss), subject.claims.iss]);
  const upstreamPeers = config.peers.filter((peer) => issuers.has(peer.issuer));
  const originIssuer =
    subject.kind === 'origin' ? subject.claims.iss : subject.hops[0].subjectToken?.iss;
  const origin = config.externalIssuers.find((idp) => idp.issuer === originIssuer);
  return {
    upstreamPeers,
    origin,
    maxDepth: Math.min(
      config.policy.maxChainDepth,
      ...upstreamPeers.map((peer) => peer.maxChainDepth ?? Infinity),
    ),
    scopeLimits: [
      ...upstreamPeers.map((peer) => ({
        name: `what policy lets the peer ${peer.issuer} bring in`,
        scopes: peer.allowedScopes,
      })),
      ...(origin === undefined
        ? []
        : [{ name: 'what policy lets the origin issuer bring in', scopes: origin.allowedScopes }]),
    ],
  };
}
