import {
  DOMAIN_SIGNING_ALGORITHMS,
  DPOP_ALGORITHMS,
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_TOKEN_EXCHANGE,
  tokenEndpointOf,
} from '@baton/chain/protocol';
import { OPENAPI_PATH } from '../api-docs/openapi-document.js';
import type { BrokerConfig } from '../config/broker-config.js';

/** Algorithms accepted for private_key_jwt client assertions (RFC 7523); never `none` or HMAC. */
export const CLIENT_ASSERTION_ALGORITHMS: readonly string[] = DOMAIN_SIGNING_ALGORITHMS;

const TOKEN_ENDPOINT_AUTH_METHODS = [
  'private_key_jwt',
  'client_secret_basic',
  'client_secret_post',
] as const;

/** `<issuer>/revoke` (RFC 7009) and `<issuer>/introspect` (RFC 7662). */
export function revocationEndpointOf(issuer: string): string {
  return `${issuer}/revoke`;
}
export function introspectionEndpointOf(issuer: string): string {
  return `${issuer}/introspect`;
}

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
 * This domain's RFC 8414 §2 metadata, every member that applies to this broker:
 * - `response_types_supported` is REQUIRED by §2, and §3.2 says claims with zero elements MUST be
 *   omitted; no grant here uses an authorization endpoint, so the one honest value is `none`
 *   (OAuth 2.0 Multiple Response Type Encoding Practices §5: nothing is returned from the
 *   authorization endpoint). `authorization_endpoint` is omitted (§2: only for grants using it).
 * - `grant_types_supported` is listed because §2's default (authorization_code, implicit) would
 *   be wrong here; `token_endpoint_auth_signing_alg_values_supported` because private_key_jwt is
 *   supported; `dpop_signing_alg_values_supported` per RFC 9449 §5.1.
 * - `service_documentation` points at the broker's OpenAPI document.
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
    response_types_supported: ['none'],
    grant_types_supported: [
      GRANT_TYPE_CLIENT_CREDENTIALS,
      GRANT_TYPE_TOKEN_EXCHANGE,
      GRANT_TYPE_JWT_BEARER,
    ],
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGORITHMS],
    // RFC 9449 §5.1
    dpop_signing_alg_values_supported: [...DPOP_ALGORITHMS],
    // RFC 8414 §2: RFC 7009 and RFC 7662 endpoints, authenticated like the token endpoint.
    revocation_endpoint: revocationEndpointOf(config.issuer),
    revocation_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    introspection_endpoint: introspectionEndpointOf(config.issuer),
    introspection_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    service_documentation: `${config.issuer}/${OPENAPI_PATH}`,
  };
}
