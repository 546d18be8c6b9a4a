import {
  DOMAIN_SIGNING_ALGORITHMS,
  DPOP_ALGORITHMS,
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  tokenEndpointOf,
} from '@baton/chain/protocol';
import type { BrokerConfig } from '../config/broker-config.js';

/** Algorithms accepted for private_key_jwt client assertions (RFC 7523); never `none` or HMAC. */
export const CLIENT_ASSERTION_ALGORITHMS: readonly string[] = DOMAIN_SIGNING_ALGORITHMS;

/** `<issuer>/jwks`: the domain's JWK Set. */
export function jwksUriOf(issuer: string): string {
  return `${issuer}/jwks`;
}

/**
 * RFC 8414 §3.1: the well-known path is inserted between the host and the issuer's path
 * (`https://as.example/tenant` → `/.well-known/oauth-authorization-server/tenant`).
 */
export function wellKnownPathOf(issuer: string): string {
  const path = new URL(issuer).pathname;
  return `/.well-known/oauth-authorization-server${path === '/' ? '' : path}`;
}

/**
 * This domain's RFC 8414 §2 metadata. There is no authorization endpoint (no grant here uses
 * one), so `authorization_endpoint` and `response_types_supported` are omitted: RFC 8414 §3.2
 * says claims with zero elements MUST be omitted, and erratum 7793 makes the latter REQUIRED
 * only when a grant uses the authorization endpoint.
 */
export function authorizationServerMetadata(config: BrokerConfig): Record<string, unknown> {
  const scopes = new Set([
    ...config.clients.flatMap((client) => client.scopes),
    ...config.peers.flatMap((peer) => peer.allowedScopes),
  ]);
  return {
    issuer: config.issuer,
    token_endpoint: tokenEndpointOf(config.issuer),
    jwks_uri: jwksUriOf(config.issuer),
    ...(scopes.size > 0 ? { scopes_supported: [...scopes].sort() } : {}),
    grant_types_supported: [GRANT_TYPE_CLIENT_CREDENTIALS, GRANT_TYPE_TOKEN_EXCHANGE],
    token_endpoint_auth_methods_supported: [
      'private_key_jwt',
      'client_secret_basic',
      'client_secret_post',
    ],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGORITHMS],
    // RFC 9449 §5.1
    dpop_signing_alg_values_supported: [...DPOP_ALGORITHMS],
  };
}
