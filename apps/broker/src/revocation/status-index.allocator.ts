import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { StatusReference } from '@baton/chain/protocol';
import type { EntityManager } from 'typeorm';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import type { IssuanceParticipant, LinkContribution } from '../issuance/issuance-participant.js';
import { permuteIndex } from './index-permutation.js';
import { StatusListEntity } from './status-list.entity.js';
import { statusListUriOf } from './status-list-uri.js';

/** Each list has 2^16 one-bit statuses: 8 KiB before compression, herd of 65 536 tokens. */
export const STATUS_LIST_SIZE_BITS = 16;

/**
 * Slots a replica reserves at a time. A reservation is one short transaction; slots of a block
 * not handed out before the process stops are never used (their status stays 0, "valid", and no
 * token names them), which costs at most this many of a list's 65 536 slots per restart.
 */
export const STATUS_SLOT_BLOCK = 128;

export interface StatusSlot {
  list: number;
  /** The slot number in its list (the order slots are handed out); `idx` is its permutation. */
  slot: number;
  idx: number;
  reference: StatusReference;
}

/** Slots `[next, end)` of one list, reserved by this replica. */
interface ReservedBlock {
  readonly list: number;
  readonly permutationKey: Buffer;
  next: number;
  readonly end: number;
}

/**
 * Hands out status list slots for links about to be signed (an IssuanceParticipant's
 * `beforeSign`; draft-ietf-oauth-status-list "Default Values and Double Allocation": no double
 * allocation). Slots come from a block this replica reserved in the database: the list's
 * counter moves by a whole block in one conditional UPDATE — a row lock on PostgreSQL, the write
 * lock on SQLite — so replicas never share a slot, and a token costs no write of its own here.
 * Each slot number goes through the list's keyed permutation to a non-sequential index. A full
 * list is followed by a new one.
 */
@Injectable()
export class StatusIndexAllocator implements IssuanceParticipant {
  private block: ReservedBlock | undefined;
  private reserving: Promise<ReservedBlock> | undefined;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly transactions: DatabaseTransactions,
  ) {}

  /** The issuance hook: the link's `status` claim, before the link is signed. */
  async beforeSign(): Promise<LinkContribution> {
    return { status: (await this.allocate()).reference };
  }

  async allocate(): Promise<StatusSlot> {
    for (;;) {
      const block = this.block;
      if (block !== undefined && block.next < block.end) {
        return this.slot(block, block.next++);
      }
      // One reservation at a time; every caller waiting for it then takes from the new block.
      this.reserving ??= this.reserve().finally(() => {
        this.reserving = undefined;
      });
      const reserved = await this.reserving;
      if (this.block === block) {
        this.block = reserved;
      }
    }
  }

  private slot(block: ReservedBlock, slot: number): StatusSlot {
    const idx = permuteIndex(block.permutationKey, STATUS_LIST_SIZE_BITS, slot);
    const uri = statusListUriOf(this.config.issuer, block.list);
    return { list: block.list, slot, idx, reference: { status_list: { idx, uri } } };
  }

  /** The next block of the newest list that has room, opening a new list when it is full. */
  private reserve(): Promise<ReservedBlock> {
    return this.transactions.run(async (manager) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const [newest] = await manager.find(StatusListEntity, { order: { id: 'DESC' }, take: 1 });
        if (newest === undefined) {
          await this.open(manager, 1);
          continue;
        }
        // The first write locks the row until commit; `allocated` is then read under the lock.
        await manager.update(StatusListEntity, { id: newest.id }, { allocated: () => 'allocated' });
        const list = await manager.findOneByOrFail(StatusListEntity, { id: newest.id });
        const taken = Math.min(STATUS_SLOT_BLOCK, list.size - list.allocated);
        if (taken > 0) {
          await manager.update(
            StatusListEntity,
            { id: list.id },
            { allocated: list.allocated + taken },
          );
          return {
            list: list.id,
            permutationKey: Buffer.from(list.permutationKey, 'base64url'),
            next: list.allocated,
            end: list.allocated + taken,
          };
        }
        await this.open(manager, list.id + 1);
      }
      throw new Error('no status list slot could be reserved');
    });
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
