import { TrustStore, type KeySourceListener, type TrustedIssuer } from '@baton/chain';
import { DOMAIN_SIGNING_ALGORITHMS } from '@baton/chain/protocol';
import type { JSONWebKeySet } from 'jose';
import type { BrokerConfig } from '../config/broker-config.js';
import { tokenEndpointOf } from '../discovery/authorization-server-metadata.js';

/** The part of KeysService the trust store needs: this domain's published keys. */
export interface PublishedKeys {
  getPublishedJwks(): Promise<{ keys: readonly object[] }>;
}

/**
 * The trust set subject and actor tokens are verified against: this domain itself (its own
 * rotating keys, so A→A hops and tokens it issued earlier verify), its peers as configured, and
 * external IdPs in the `origin` role only (they may start a chain, never sign a link).
 */
export function buildSubjectTrustStore(
  config: BrokerConfig,
  keys: PublishedKeys,
  onKeySourceEvent?: KeySourceListener,
): TrustStore {
  const self: TrustedIssuer = {
    issuer: config.issuer,
    roles: ['present', 'upstream'],
    keys: { resolve: async () => (await keys.getPublishedJwks()) as JSONWebKeySet },
    tokenEndpoint: tokenEndpointOf(config.issuer),
    algorithms: DOMAIN_SIGNING_ALGORITHMS,
  };
  const peers = config.peers.map((peer): TrustedIssuer => {
    // DESIGN §3 invariant 4: hop proofs are checked against the endpoint the peer itself checks;
    // without discovery that is the `<issuer>/token` every Baton broker serves.
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
  return new TrustStore({
    issuers: [self, ...peers, ...external],
    cacheTtlSeconds: 300,
    refetchCooldownSeconds: 10,
    onKeySourceEvent,
  });
}
