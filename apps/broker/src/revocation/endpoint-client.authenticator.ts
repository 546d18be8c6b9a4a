import { Inject, Injectable } from '@nestjs/common';
import { ClientAuthenticator } from '../clients/client-authenticator.service.js';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import type { ClientConfig } from '../config/broker-config.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { SeenJtiStore } from '../dpop/seen-jti.store.js';
import type { HttpRequest } from '../oauth/http-types.js';
import type { TokenForm } from '../token/token-form.js';

/**
 * Client authentication at /revoke and /introspect, as at the token endpoint (RFC 7009 §2.1,
 * RFC 7662 §2.1): the same methods, and a private_key_jwt assertion is single-use here too
 * (RFC 7523 §3 item 7) — recorded at once, since no token is issued to carry it.
 */
@Injectable()
export class EndpointClientAuthenticator {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly clients: ClientAuthenticator,
    private readonly seen: SeenJtiStore,
    private readonly transactions: DatabaseTransactions,
  ) {}

  async authenticate(request: HttpRequest, form: TokenForm): Promise<ClientConfig> {
    const authorization = request.headers.authorization;
    const { client, singleUse } = await this.clients.authenticate(
      Array.isArray(authorization) ? authorization.join(',') : authorization,
      form,
    );
    if (singleUse !== undefined) {
      const now = epochSeconds(this.clock);
      await this.transactions.run((tx) => this.seen.record(tx, [singleUse], now));
    }
    return client;
  }
}
