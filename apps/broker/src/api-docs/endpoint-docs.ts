import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiInternalServerErrorResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  JWKS_SCHEMA,
  METADATA_SCHEMA,
  OAUTH_ERROR_SCHEMA,
  TOKEN_REQUEST_SCHEMA,
  TOKEN_RESPONSE_SCHEMA,
} from './oauth-schemas.js';

const REQUEST_ID = ApiHeader({
  name: 'X-Request-Id',
  required: false,
  description: 'Kept when 1-128 characters of [A-Za-z0-9._:-], else replaced; answered as sent',
});

/** `POST /token` (RFC 6749 §3.2, RFC 8693, RFC 9449). */
export const TokenEndpointDocs = (): MethodDecorator =>
  applyDecorators(
    ApiTags('oauth'),
    ApiOperation({
      summary: 'Token endpoint: client_credentials and token exchange, DPoP-bound, chained',
      description:
        'Authenticate the client (client_secret_basic, client_secret_post or private_key_jwt), ' +
        'check the DPoP proof and run the grant. Every answer carries a fresh DPoP-Nonce.',
    }),
    ApiConsumes('application/x-www-form-urlencoded'),
    ApiBody({ schema: TOKEN_REQUEST_SCHEMA }),
    ApiHeader({ name: 'DPoP', required: true, description: 'RFC 9449 §4 DPoP proof' }),
    ApiHeader({
      name: 'Authorization',
      required: false,
      description: 'HTTP Basic client credentials (client_secret_basic)',
    }),
    REQUEST_ID,
    ApiOkResponse({ description: 'Issued', schema: TOKEN_RESPONSE_SCHEMA }),
    ApiBadRequestResponse({ description: 'Refused (RFC 6749 §5.2)', schema: OAUTH_ERROR_SCHEMA }),
    ApiUnauthorizedResponse({ description: 'invalid_client', schema: OAUTH_ERROR_SCHEMA }),
    ApiInternalServerErrorResponse({ description: 'server_error', schema: OAUTH_ERROR_SCHEMA }),
  );

/** `GET /.well-known/oauth-authorization-server[/<issuer path>]` (RFC 8414 §3). */
export const MetadataDocs = (): MethodDecorator =>
  applyDecorators(
    ApiTags('discovery'),
    ApiOperation({ summary: 'RFC 8414 authorization server metadata' }),
    REQUEST_ID,
    ApiOkResponse({ description: 'Metadata', schema: METADATA_SCHEMA }),
    ApiNotFoundResponse({ description: 'Not the well-known path of this issuer' }),
  );

/** `GET /jwks` (RFC 7517). */
export const JwksDocs = (): MethodDecorator =>
  applyDecorators(
    ApiTags('discovery'),
    ApiOperation({ summary: "The domain's public signing keys (JWK Set)" }),
    ApiProduces('application/jwk-set+json'),
    REQUEST_ID,
    ApiOkResponse({ description: 'JWK Set', schema: JWKS_SCHEMA }),
    ApiServiceUnavailableResponse({ description: 'Keys unavailable', schema: OAUTH_ERROR_SCHEMA }),
  );

/** `GET /openapi.json`. */
export const OpenApiDocs = (): MethodDecorator =>
  applyDecorators(
    ApiTags('docs'),
    ApiOperation({ summary: 'This OpenAPI 3 document' }),
    ApiOkResponse({ description: 'OpenAPI document', schema: { type: 'object' } }),
  );
