import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { LockEntity } from './lock.entity.js';
import type { RowWrite } from './row-statements.js';
import { plainSqlite3 } from './sqlite-driver.js';
import { endTransaction, sqliteTransaction } from './sqlite-transaction.js';
import { bundleOf, runBundle } from './sqlite-write-bundle.js';
import { StorageHealth } from './storage-health.js';

/**
 * Transactions that are safe on both drivers. TypeORM's SQLite driver shares one connection
 * between all callers, so two concurrent transactions would interleave in one SQLite
 * transaction; here they queue behind an in-process mutex instead, and a failed one always
 * leaves the connection outside any transaction (see sqlite-transaction.ts). On PostgreSQL each
 * transaction gets its own pooled connection.
 *
 * Keep SQLite transactions short, and send writes made outside a transaction through
 * `serialized`: a plain statement issued while one is open runs on the same connection.
 * Every write's outcome is reported to {@link StorageHealth} (readiness when the disk is full).
 *
 * A SQLite database in a file also gets two more connections, opened with the module and closed
 * with it: a read-only one for `read`, and one for `writeRows` alone, whose statements commit by
 * themselves and so must never run inside a transaction someone else left open on the shared
 * connection.
 */
@Injectable()
export class DatabaseTransactions implements OnModuleInit, OnModuleDestroy {
  private readonly sqlite: boolean;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly commitHooks = new WeakMap<EntityManager, (() => void)[]>();
  private reader: DataSource | undefined;
  private unitWriter: DataSource | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: StorageHealth,
  ) {
    this.sqlite = dataSource.options.type === 'sqlite';
  }

  async onModuleInit(): Promise<void> {
    const { options } = this.dataSource;
    if (options.type !== 'sqlite' || options.database === ':memory:') {
      return;
    }
    // WAL lets this connection read the last commit while the writer's connection holds its
    // transaction open or waits on the COMMIT's fsync (SQLite serialises the calls on one
    // connection, so a read there waited for both). Migrations ran on the writer already.
    this.reader = await new DataSource({
      ...options,
      migrationsRun: false,
      flags: plainSqlite3().OPEN_READONLY,
    }).initialize();
    // Its writes take turns with the shared connection's in the queue below (one writer at a
    // time, as SQLite allows); the TEMP view and trigger they use (sqlite-write-bundle.ts) live
    // on this connection only, so they never stand in the way of a change to the schema.
    this.unitWriter = await new DataSource({ ...options, migrationsRun: false }).initialize();
  }

  async onModuleDestroy(): Promise<void> {
    const [reader, unitWriter] = [this.reader, this.unitWriter];
    this.reader = undefined;
    await reader?.destroy();
    // After the writes queued so far, which it may be running.
    await this.queue;
    this.unitWriter = undefined;
    await unitWriter?.destroy();
  }

  /**
   * The data sources this process writes through: the shared one and, on a SQLite file,
   * `writeRows`' own. A per-connection setting (a SQLite PRAGMA such as `max_page_count`) must
   * be made on each.
   */
  get writers(): DataSource[] {
    return this.unitWriter === undefined ? [this.dataSource] : [this.dataSource, this.unitWriter];
  }

  /**
   * True when this process is the database's only writer: SQLite, whose file one broker process
   * holds at a time (SqliteProcessLock). What it committed last is then what the database holds.
   */
  get singleWriter(): boolean {
    return this.sqlite;
  }

  /** Run `work` in one transaction (serialised in-process on SQLite). */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let manager: EntityManager | undefined;
    const tracked = (transaction: EntityManager) => {
      manager = transaction;
      return work(transaction);
    };
    if (!this.sqlite) {
      return this.observed(
        this.dataSource.transaction(tracked).then((result) => this.committed(manager, result)),
      );
    }
    // The hooks run before the next queued transaction begins.
    return this.enqueue(async () => {
      const result = await sqliteTransaction(this.dataSource, tracked);
      return this.committed(manager, result);
    });
  }

  /**
   * Write the rows `plan` returns as one unit, all or nothing; `plan` may read with the manager
   * it is given, and must not write. Hooks registered with that manager (`afterCommit`) run once
   * the unit has committed.
   *
   * - PostgreSQL: one transaction; `plan` runs in it, so a row it locks (`SELECT … FOR UPDATE`)
   *   stays locked until the commit, then the writes run one after another.
   * - SQLite: one statement outside any transaction (sqlite-write-bundle.ts), on a connection
   *   of its own, which SQLite commits by itself: one call on the connection instead of
   *   `BEGIN IMMEDIATE`, the writes and `COMMIT` (a transaction all the same when a value
   *   cannot travel in the statement's JSON). `plan` runs first, in this process's turn on the
   *   database: nothing else writes it until the writes have run (this process is its only
   *   writer and queues its own writes here), so what `plan` read still holds.
   */
  writeRows(
    plan: (manager: EntityManager) => readonly RowWrite[] | Promise<readonly RowWrite[]>,
  ): Promise<void> {
    if (!this.sqlite) {
      return this.run(async (manager) => {
        for (const write of await plan(manager)) {
          await write.run(manager);
        }
      });
    }
    return this.enqueue(async () => {
      // On `:memory:` (one connection only) the shared one.
      const writer = this.unitWriter ?? this.dataSource;
      const runner = writer.createQueryRunner();
      const writes = await plan(runner.manager);
      const bundle = bundleOf(writes);
      if (bundle === undefined) {
        await sqliteTransaction(writer, (tx) =>
          this.together(writes.map((write) => () => write.run(tx))),
        );
      } else {
        try {
          await runBundle(runner.manager, bundle);
        } catch (error) {
          // SQLite undoes a failed statement; IOERR or FULL at its commit may leave more to end.
          await endTransaction(writer, runner);
          throw error;
        }
      }
      this.committed(runner.manager, undefined);
    });
  }

  /**
   * Run `hook` once the transaction or unit of writes `manager` belongs to (`run`, `writeRows`)
   * has committed; never when it rolls back.
   */
  afterCommit(manager: EntityManager, hook: () => void): void {
    const hooks = this.commitHooks.get(manager);
    if (hooks === undefined) {
      this.commitHooks.set(manager, [hook]);
    } else {
      hooks.push(hook);
    }
  }

  /**
   * Run single statements outside any transaction. On SQLite they wait for the open
   * transaction to finish, so they can never join (and be rolled back with) someone else's;
   * on PostgreSQL they run at once on a pooled connection.
   */
  serialized<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.sqlite) {
      return this.observed(work(this.dataSource.manager));
    }
    return this.enqueue(() => work(this.dataSource.manager));
  }

  /**
   * Run reads that must not wait for the transaction in progress. They see what was last
   * committed, not the rows of a transaction still open: use this only for checks that a write
   * repeats or that only committed rows should answer, like the replay pre-check (the issuing
   * transaction's unique key is the check that counts) and the broker's own revocation check (a
   * revocation counts once it is committed). On a SQLite file they run at once on the read-only
   * connection; on `:memory:` (one connection only) at once on the writer's, where they also see
   * the open transaction's rows, which can only refuse early. On PostgreSQL they run at once on
   * a pooled connection.
   */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    // Not `observed`: a read that succeeds says nothing about whether writes have room.
    return work((this.reader ?? this.dataSource).manager);
  }

  /**
   * Run statements of one transaction that do not depend on one another: all at once on SQLite
   * (each statement's answer waits for a turn of a busy event loop, so a chain of them is what a
   * commit costs under load), one after another on PostgreSQL (node-postgres takes one query at
   * a time per connection). Waits for every one, so none is left running when the transaction
   * ends, then throws the first failure in the order given.
   */
  async together(statements: readonly (() => Promise<unknown>)[]): Promise<void> {
    if (!this.sqlite) {
      for (const statement of statements) {
        await statement();
      }
      return;
    }
    const outcomes = await Promise.allSettled(statements.map((statement) => statement()));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) {
      throw failed.reason;
    }
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

  private committed<T>(manager: EntityManager | undefined, result: T): T {
    if (manager !== undefined) {
      this.commitHooks.get(manager)?.forEach((hook) => hook());
      this.commitHooks.delete(manager);
    }
    return result;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.observed(this.queue.then(work));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async observed<T>(write: Promise<T>): Promise<T> {
    try {
      const result = await write;
      this.storage.noteWrite();
      return result;
    } catch (error) {
      this.storage.noteWrite(error);
      throw error;
    }
  }
}
