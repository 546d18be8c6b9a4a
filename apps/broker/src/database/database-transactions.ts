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
 * Keep SQLite transactions short, and send writes made outside a transaction through
 * `serialized`: a plain statement issued while one is open runs on the same connection.
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
   * Run single statements outside any transaction. On SQLite they wait for the open
   * transaction to finish, so they can never join (and be rolled back with) someone else's;
   * on PostgreSQL they run at once on a pooled connection.
   */
  serialized<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.sqlite) {
      return work(this.dataSource.manager);
    }
    const result = this.queue.then(() => work(this.dataSource.manager));
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
    await this.serialized((manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into(LockEntity)
        .values({ name, acquiredAt: null })
        .orIgnore()
        .execute(),
    );
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
