import { Inject, Injectable } from '@nestjs/common';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { verifyClientSecret } from '../config/client-secret.js';
import { OAuthError } from '../oauth/oauth-error.js';

/**
 * The administrator credential (`revocation.adminSecret*`): `Authorization: Bearer <secret>`,
 * checked against its scrypt hash in constant time. Without a configured secret every call is
 * refused. Refusals are RFC 6750 §3 style 401s that never say which part was wrong.
 */
@Injectable()
export class AdminAuthenticator {
  constructor(@Inject(BROKER_CONFIG) private readonly config: BrokerConfig) {}

  async authenticate(authorization: string | undefined): Promise<void> {
    const match = /^Bearer ([\x21-\x7E]{1,512})$/.exec(authorization ?? '');
    const hash = this.config.revocation.adminSecretHash;
    const valid =
      match !== null && hash !== undefined && (await verifyClientSecret(hash, match[1]));
    if (!valid) {
      throw new OAuthError('invalid_client', 'administrator authentication failed', {
        status: 401,
        headers: { 'WWW-Authenticate': `Bearer realm="${this.config.issuer}"` },
        detail: hash === undefined ? 'no administrator secret configured' : 'bad credentials',
      });
    }
  }
}
