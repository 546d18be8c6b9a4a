import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { LockEntity } from './lock.entity.js';

/**
 * Transactions that are safe on both drivers. TypeORM's SQLite driver shares one connection
 * between all callers, so two concurrent `dataSource.transaction()` calls would interleave in
 * one SQLite transaction; here they queue behind an in-process mutex instead. On PostgreSQL
 * each transaction gets its own pooled connection.
 *
 * Keep SQLite transactions short: a plain query issued elsewhere while one is open runs on the
 * same connection.
 */
@Injectable()
export class DatabaseTransactions {
  private readonly sqlite: boolean;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type === 'sqlite';
  }

  /** Run `work` in one transaction (serialised in-process on SQLite). */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.sqlite) {
      return this.dataSource.transaction(work);
    }
    const result = this.queue.then(() => this.dataSource.transaction(work));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Run `work` in a transaction that holds the named lock: every replica sharing the database
   * runs it one at a time. The lock is the first write of the transaction (a row lock on
   * PostgreSQL, the database write lock on SQLite) and is released at commit or rollback.
   */
  async runLocked<T>(
    name: string,
    nowSeconds: number,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(LockEntity)
      .values({ name, acquiredAt: null })
      .orIgnore()
      .execute();
    return this.run(async (manager) => {
      await manager
        .createQueryBuilder()
        .update(LockEntity)
        .set({ acquiredAt: nowSeconds })
        .where('name = :name', { name })
        .execute();
      return work(manager);
    });
  }
}
