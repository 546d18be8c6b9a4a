import { Inject, Injectable } from '@nestjs/common';
import { In, LessThan } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { IssuedTokenEntity } from '../database/issued-token.entity.js';
import { appendJsonLines } from './jsonl-archive.js';
import type { RetentionTask } from './retention-task.js';

const BATCH = 500;
const MAX_BATCHES_PER_RUN = 20;

/**
 * `issued_token` rows whose token expired more than `retention.issuedTokenSeconds` ago: appended
 * to the JSON Lines archive (when `retention.archiveDir` is set) and fsynced, then deleted, in
 * batches. A crash between the two archives a batch twice, never loses it.
 */
@Injectable()
export class IssuedTokenRetention implements RetentionTask {
  readonly name = 'issued_token';

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly transactions: DatabaseTransactions,
  ) {}

  async prune(now: number): Promise<number> {
    const cutoff = now - this.config.retention.issuedTokenSeconds;
    let removed = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const count = await this.pruneBatch(cutoff, now);
      removed += count;
      if (count < BATCH) {
        break;
      }
    }
    return removed;
  }

  private async pruneBatch(cutoff: number, now: number): Promise<number> {
    const rows = await this.transactions.serialized((manager) =>
      manager.find(IssuedTokenEntity, {
        where: { exp: LessThan(cutoff) },
        order: { exp: 'ASC' },
        take: BATCH,
      }),
    );
    if (rows.length === 0) {
      return 0;
    }
    const { archiveDir } = this.config.retention;
    if (archiveDir !== undefined) {
      await appendJsonLines(archiveDir, this.name, now, rows);
    }
    await this.transactions.serialized((manager) =>
      manager.delete(IssuedTokenEntity, { jti: In(rows.map((row) => row.jti)) }),
    );
    return rows.length;
  }
}
