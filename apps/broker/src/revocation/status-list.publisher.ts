import { Inject, Injectable } from '@nestjs/common';
import { createStatusList, writeStatus } from '@baton/chain';
import { signStatusListToken } from '@baton/chain/issue';
import { STATUS_INVALID } from '@baton/chain/protocol';
import { IsNull, Not } from 'typeorm';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { IssuedTokenEntity } from '../database/issued-token.entity.js';
import { KeysService } from '../keys/keys.service.js';
import { StatusListEntity } from './status-list.entity.js';
import { statusListUriOf } from './status-list-uri.js';

/**
 * Builds the Status List Token of one list from the records (draft-ietf-oauth-status-list, "Status List Token in JWT Format"):
 * one bit per slot, INVALID for every revoked token, signed by this domain's current key, `ttl`
 * from the config and `exp` two TTLs later (a replayed old list is useless after that).
 */
@Injectable()
export class StatusListPublisher {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly transactions: DatabaseTransactions,
    private readonly keys: KeysService,
  ) {}

  /** The signed list, or undefined when this domain has no list `id`. */
  async token(id: number): Promise<string | undefined> {
    const found = await this.transactions.serialized(async (manager) => {
      const list = await manager.findOneBy(StatusListEntity, { id });
      const revoked =
        list === null
          ? []
          : await manager.find(IssuedTokenEntity, {
              select: { jti: true, statusIdx: true },
              where: { statusList: id, revokedAt: Not(IsNull()) },
            });
      return list === null ? undefined : { list, revoked };
    });
    if (found === undefined) {
      return undefined;
    }
    const statuses = createStatusList(1, found.list.size);
    for (const row of found.revoked) {
      writeStatus(statuses, row.statusIdx!, STATUS_INVALID);
    }
    const now = epochSeconds(this.clock);
    const ttl = this.config.revocation.statusListTtlSeconds;
    return signStatusListToken(
      {
        sub: statusListUriOf(this.config.issuer, id),
        iss: this.config.issuer,
        iat: now,
        exp: now + 2 * ttl,
        ttl,
      },
      statuses,
      await this.keys.getSigningKey(),
    );
  }
}
