import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { StatusReference } from '@baton/chain/protocol';
import type { EntityManager } from 'typeorm';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import type { IssuanceParticipant, LinkContribution } from '../issuance/issuance-participant.js';
import { permuteIndex } from './index-permutation.js';
import { StatusListEntity } from './status-list.entity.js';
import { statusListUriOf } from './status-list-uri.js';

/** Each list has 2^16 one-bit statuses: 8 KiB before compression, herd of 65 536 tokens. */
export const STATUS_LIST_SIZE_BITS = 16;

export interface StatusSlot {
  list: number;
  idx: number;
  reference: StatusReference;
}

/**
 * Hands out status list slots inside the issuing transaction (an IssuanceParticipant's
 * `beforeSign`; draft-ietf-oauth-status-list
 * "Default Values and Double Allocation": no double allocation). The current list's counter is incremented with a conditional
 * UPDATE — a row lock on PostgreSQL, the write lock on SQLite — so replicas never share a slot;
 * the slot number goes through the list's keyed permutation to a non-sequential index. A full
 * list is followed by a new one.
 */
@Injectable()
export class StatusIndexAllocator implements IssuanceParticipant {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The issuance hook: the link's `status` claim, before the link is signed. */
  async beforeSign(_draft: unknown, tx: EntityManager): Promise<LinkContribution> {
    return { status: (await this.allocate(tx)).reference };
  }

  async allocate(manager: EntityManager): Promise<StatusSlot> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const [current] = await manager.find(StatusListEntity, { order: { id: 'DESC' }, take: 1 });
      if (current === undefined) {
        await this.open(manager, 1);
        continue;
      }
      const taken = await manager
        .createQueryBuilder()
        .update(StatusListEntity)
        .set({ allocated: () => 'allocated + 1' })
        .where('id = :id AND allocated < size', { id: current.id })
        .execute();
      if (taken.affected === 1) {
        return this.slot(await manager.findOneByOrFail(StatusListEntity, { id: current.id }));
      }
      await this.open(manager, current.id + 1);
    }
    throw new Error('no status list slot could be allocated');
  }

  private slot(list: StatusListEntity): StatusSlot {
    const key = Buffer.from(list.permutationKey, 'base64url');
    const idx = permuteIndex(key, STATUS_LIST_SIZE_BITS, list.allocated - 1);
    const uri = statusListUriOf(this.config.issuer, list.id);
    return { list: list.id, idx, reference: { status_list: { idx, uri } } };
  }

  /** Another replica may open the same list at once: the insert is ignored on conflict. */
  private async open(manager: EntityManager, id: number): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(StatusListEntity)
      .values({
        id,
        size: 2 ** STATUS_LIST_SIZE_BITS,
        allocated: 0,
        permutationKey: randomBytes(32).toString('base64url'),
        createdAt: epochSeconds(this.clock),
      })
      .orIgnore()
      .execute();
  }
}
