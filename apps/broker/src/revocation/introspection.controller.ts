import { Controller, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import type { HttpRequest } from '../oauth/http-types.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { parseTokenForm, requiredParam } from '../token/token-form.js';
import { EndpointClientAuthenticator } from './endpoint-client.authenticator.js';
import { IntrospectionService, type IntrospectionResponse } from './introspection.service.js';

/**
 * `POST /introspect` (RFC 7662). RFC 7662 §2.1 requires the caller to be authorized: here a
 * client of this domain named in `revocation.introspectionClients` (a resource server),
 * authenticated like at the token endpoint; anyone else gets 401 `invalid_client`.
 */
@Controller()
export class IntrospectionController {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly clients: EndpointClientAuthenticator,
    private readonly introspection: IntrospectionService,
  ) {
    this.allowed = new Set(config.revocation.introspectionClients);
  }

  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async introspect(@Req() request: HttpRequest): Promise<IntrospectionResponse> {
    const form = parseTokenForm(request);
    const client = await this.clients.authenticate(request, form);
    if (!this.allowed.has(client.clientId)) {
      throw new OAuthError('invalid_client', 'this client may not introspect tokens', {
        status: 401,
        headers: { 'WWW-Authenticate': `Basic realm="${this.config.issuer}"` },
      });
    }
    return this.introspection.introspect(requiredParam(form, 'token'));
  }
}
