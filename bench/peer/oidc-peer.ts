/**
 * The bench's peer: panva's oidc-provider 9 on loopback, configured for the same work as a
 * Baton broker: client_credentials and a token-exchange grant, private_key_jwt and
 * client_secret_basic, DPoP-bound ES256 JWT access tokens. Its records live in the default
 * in-memory adapter. Started by bench/run.ts with a JSON settings file as its only argument.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { errors, Provider, type TokenContext } from 'oidc-provider';
import { applyDpopBinding } from 'oidc-provider/lib/helpers/grant_common.js';
import validateDpop from 'oidc-provider/lib/helpers/validate_dpop.js';

export interface PeerSettings {
  issuer: string;
  port: number;
  signingJwk: JWK;
  agentJwk: JWK;
  secret: string;
  resource: string;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const settings = JSON.parse(readFileSync(process.argv[2], 'utf8')) as PeerSettings;
const { d: _private, ...publicSigningJwk } = settings.signingJwk;
const ownKeys = createLocalJWKSet({ keys: [publicSigningJwk] });

const resourceInfo = (audience: string) => ({
  scope: 'read write',
  audience,
  accessTokenTTL: 300,
  accessTokenFormat: 'jwt',
  jwt: { sign: { alg: 'ES256' } },
});

const provider = new Provider(settings.issuer, {
  clients: [
    {
      client_id: 'agent',
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [settings.agentJwk] },
      grant_types: ['client_credentials', TOKEN_EXCHANGE],
      response_types: [],
      redirect_uris: [],
      scope: 'read write',
      id_token_signed_response_alg: 'ES256',
    },
    {
      client_id: 'service',
      client_secret: settings.secret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'read write',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [settings.signingJwk] },
  scopes: ['read', 'write'],
  features: {
    clientCredentials: { enabled: true },
    dPoP: { enabled: true },
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => settings.resource,
      getResourceServerInfo: (_ctx: unknown, identifier: string) => resourceInfo(identifier),
      useGrantedResource: () => true,
    },
  },
});

/** RFC 8693 exchange of one of this server's own DPoP-bound JWT access tokens. */
async function exchange(ctx: TokenContext): Promise<void> {
  const dPoP = await validateDpop(provider, ctx);
  if (dPoP === undefined) {
    throw new errors.InvalidRequest('DPoP proof required');
  }
  const { subject_token: subjectToken, audience } = ctx.oidc.params;
  if (subjectToken === undefined || ctx.oidc.params['subject_token_type'] !== ACCESS_TOKEN_TYPE) {
    throw new errors.InvalidRequest('subject_token of type access_token required');
  }
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(subjectToken, ownKeys, {
      issuer: settings.issuer,
      typ: 'at+jwt',
      algorithms: ['ES256'],
    }));
  } catch {
    throw new errors.InvalidGrant('subject_token invalid');
  }
  const cnf = claims['cnf'] as { jkt?: string } | undefined;
  if (cnf?.jkt !== dPoP.thumbprint) {
    throw new errors.InvalidGrant('subject_token is bound to another key');
  }
  const scope = typeof claims['scope'] === 'string' ? claims['scope'] : undefined;
  const token = new provider.ClientCredentials({ client: ctx.oidc.client, scope });
  const target = audience ?? settings.resource;
  token.resourceServer = new provider.ResourceServer(target, resourceInfo(target));
  await applyDpopBinding(provider, ctx, dPoP, token);
  ctx.body = {
    access_token: await token.save(),
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: 'DPoP',
    expires_in: token.expiration,
    scope: token.scope,
  };
}

provider.registerGrantType(TOKEN_EXCHANGE, exchange, [
  'subject_token',
  'subject_token_type',
  'audience',
  'scope',
  'resource',
]);

createServer(provider.callback()).listen(settings.port, '127.0.0.1');
