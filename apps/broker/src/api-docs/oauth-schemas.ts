import type { SchemaObject } from '@nestjs/swagger';

/** RFC 6749 §5.2 error response (RFC 9449 §5 and §8 codes included). */
export const OAUTH_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'string',
      example: 'invalid_grant',
      description:
        'invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target, invalid_dpop_proof, use_dpop_nonce, server_error',
    },
    error_description: {
      type: 'string',
      description: 'The rule that refused the request; never a token or an internal detail',
    },
  },
};

/** RFC 6749 §5.1 / RFC 8693 §2.2.1 / RFC 9449 §5 token response. */
export const TOKEN_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in', 'scope'],
  properties: {
    access_token: { type: 'string', description: 'A DPoP-bound delegated token (RFC 9068 JWT)' },
    token_type: { type: 'string', enum: ['DPoP'] },
    expires_in: { type: 'integer', minimum: 1 },
    scope: { type: 'string' },
    issued_token_type: {
      type: 'string',
      description: 'Token exchange only (RFC 8693 §2.2.1)',
      example: 'urn:ietf:params:oauth:token-type:access_token',
    },
  },
};

/** The token request form (RFC 6749 §4.4, RFC 8693 §2.1, RFC 7523 §2.2, RFC 6749 §2.3.1). */
export const TOKEN_REQUEST_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['grant_type'],
  properties: {
    grant_type: {
      type: 'string',
      example: 'urn:ietf:params:oauth:grant-type:token-exchange',
      description: 'client_credentials, urn:ietf:params:oauth:grant-type:token-exchange',
    },
    scope: { type: 'string', description: 'Space-delimited scope tokens (RFC 6749 §3.3)' },
    subject_token: { type: 'string', description: 'Token exchange: the token to exchange' },
    subject_token_type: {
      type: 'string',
      example: 'urn:ietf:params:oauth:token-type:access_token',
    },
    actor_token: { type: 'string', description: 'Token exchange: the acting party (optional)' },
    actor_token_type: { type: 'string' },
    audience: { type: 'string', description: "The next domain's issuer (RFC 8693 §2.1)" },
    resource: { type: 'string', description: 'RFC 8707 resource indicator' },
    client_id: { type: 'string' },
    client_secret: { type: 'string', description: 'client_secret_post only' },
    client_assertion_type: {
      type: 'string',
      enum: ['urn:ietf:params:oauth:client-assertion-type:jwt-bearer'],
    },
    client_assertion: { type: 'string', description: 'private_key_jwt (RFC 7523 §2.2)' },
  },
};

/** RFC 8414 §2 metadata, the members this broker sends. */
export const METADATA_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['issuer', 'token_endpoint', 'jwks_uri', 'response_types_supported'],
  additionalProperties: true,
  properties: {
    issuer: { type: 'string', format: 'uri' },
    token_endpoint: { type: 'string', format: 'uri' },
    jwks_uri: { type: 'string', format: 'uri' },
    response_types_supported: { type: 'array', items: { type: 'string' } },
    grant_types_supported: { type: 'array', items: { type: 'string' } },
    scopes_supported: { type: 'array', items: { type: 'string' } },
    token_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
    token_endpoint_auth_signing_alg_values_supported: {
      type: 'array',
      items: { type: 'string' },
    },
    dpop_signing_alg_values_supported: { type: 'array', items: { type: 'string' } },
    service_documentation: { type: 'string', format: 'uri' },
  },
};

/** RFC 7517 §5 JWK Set (public members only). */
export const JWKS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['keys'],
  properties: { keys: { type: 'array', items: { type: 'object', additionalProperties: true } } },
};
