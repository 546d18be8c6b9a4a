import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { HttpRequest } from '../oauth/http-types.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { parseTokenForm, requiredParam } from '../token/token-form.js';
import { AdminAuthenticator } from './admin-authenticator.js';
import { readRevocationTarget } from './admin-revocation.request.js';
import { EndpointClientAuthenticator } from './endpoint-client.authenticator.js';
import { RevocationService } from './revocation.service.js';

/** `POST /revoke` (RFC 7009) for clients, `POST /admin/revocations` for the administrator. */
@Controller()
export class RevocationController {
  constructor(
    private readonly clients: EndpointClientAuthenticator,
    private readonly admin: AdminAuthenticator,
    private readonly revocations: RevocationService,
  ) {}

  @Post('revoke')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async revoke(@Req() request: HttpRequest): Promise<void> {
    const form = parseTokenForm(request);
    // RFC 7009 §2.1: the client is authenticated first; token_type_hint may be ignored.
    const client = await this.clients.authenticate(request, form);
    const token = requiredParam(form, 'token');
    const outcome = await this.revocations.revokeForClient(token, client.clientId);
    // RFC 7009 §2.1: a token issued to another client is refused (RFC 6749 §5.2 invalid_grant:
    // "issued to another client"); §2.2: an unknown or invalid token is answered 200.
    if (outcome === 'not_issued_to_client') {
      throw new OAuthError('invalid_grant', 'the token was not issued to this client');
    }
  }

  @Post('admin/revocations')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async revokeAsAdministrator(
    @Req() request: HttpRequest,
    @Body() body: unknown,
  ): Promise<{ revoked: string[] }> {
    await this.admin.authenticate(singleHeader(request.headers.authorization));
    return { revoked: await this.revocations.revoke(readRevocationTarget(body)) };
  }
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
