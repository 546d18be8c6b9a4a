import { TrustStore, type TrustedIssuer } from '@baton/chain';
import {
  DEFAULT_ISSUER_ROLES,
  DOMAIN_SIGNING_ALGORITHMS,
  tokenEndpointOf,
} from '@baton/chain/protocol';
import type { JSONWebKeySet } from 'jose';
import type { BrokerConfig } from '../config/broker-config.js';

/** The part of KeysService the trust store needs: this domain's published keys. */
export interface PublishedKeys {
  getPublishedJwks(): Promise<{ keys: readonly object[] }>;
}

/**
 * The trust set subject and actor tokens are verified against: this domain itself (its own
 * rotating keys, so A→A hops and tokens it issued earlier verify), its peers as configured, and
 * external IdPs in the `origin` role only (they may start a chain, never sign a link).
 */
export function trustedIssuersOf(config: BrokerConfig, keys: PublishedKeys): TrustedIssuer[] {
  const self: TrustedIssuer = {
    issuer: config.issuer,
    roles: DEFAULT_ISSUER_ROLES,
    keys: { resolve: async () => (await keys.getPublishedJwks()) as JSONWebKeySet },
    tokenEndpoint: tokenEndpointOf(config.issuer),
    algorithms: DOMAIN_SIGNING_ALGORITHMS,
  };
  const peers = config.peers.map((peer): TrustedIssuer => {
    // docs/chain-spec.md §5 step 4: hop proofs name the peer's token endpoint; without
    // discovery that is the Baton convention `<issuer>/token`.
    const tokenEndpoint =
      peer.tokenEndpoint ?? (peer.jwks ? tokenEndpointOf(peer.issuer) : undefined);
    return {
      issuer: peer.issuer,
      roles: peer.roles,
      keys: peer.jwks ? { jwks: peer.jwks as JSONWebKeySet } : { discover: true },
      ...(tokenEndpoint ? { tokenEndpoint } : {}),
      algorithms: DOMAIN_SIGNING_ALGORITHMS,
    };
  });
  const external = config.externalIssuers.map((idp): TrustedIssuer => ({
    issuer: idp.issuer,
    roles: ['origin'],
    keys: idp.jwks ? { jwks: idp.jwks as JSONWebKeySet } : { discover: true },
    algorithms: DOMAIN_SIGNING_ALGORITHMS,
  }));
  return [self, ...peers, ...external];
}

export function buildTrustStore(config: BrokerConfig, keys: PublishedKeys): TrustStore {
  return new TrustStore({ issuers: trustedIssuersOf(config, keys) });
}
