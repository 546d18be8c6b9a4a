import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import type { DatabaseConfig } from '../../apps/broker/src/config/broker-config.js';
import { POSTGRES_URL, withPostgres } from './postgres.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export { POSTGRES_URL, withPostgres } from './postgres.js';

let postgresProbe: Promise<string | undefined> | undefined;

/** Why PostgreSQL cannot be used, or undefined when 127.0.0.1:5432 answers and `test` accepts a query. */
export function postgresUnavailableReason(): Promise<string | undefined> {
  postgresProbe ??= probePostgres().then((reason) => {
    // CI sets this once it has made sure PostgreSQL runs: there a skip would hide a failure.
    if (reason !== undefined && process.env.BATON_REQUIRE_POSTGRES === '1') {
      throw new Error(`BATON_REQUIRE_POSTGRES=1 but PostgreSQL is unusable: ${reason}`);
    }
    return reason;
  });
  return postgresProbe;
}

async function probePostgres(): Promise<string | undefined> {
  const open = await new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.connect(5432, '127.0.0.1');
  });
  if (!open) {
    return 'nothing answers on 127.0.0.1:5432';
  }
  try {
    await withPostgres((db) => db.query('SELECT 1'));
    return undefined;
  } catch (error) {
    return `database "test" refused: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The database kinds to run against: 'sqlite' always, 'postgres' when it answers. When it does
 * not, prints why once, so a skipped PostgreSQL run is never silent.
 */
export async function databaseKinds(): Promise<DatabaseKind[]> {
  const reason = await postgresUnavailableReason();
  if (reason !== undefined) {
    warnOnce(
      `[test/support] PostgreSQL variants SKIPPED: ${reason} (start PostgreSQL with trust auth and a "test" database to run them)`,
    );
    return ['sqlite'];
  }
  return ['sqlite', 'postgres'];
}

/**
 * `describe` once per database kind (`sqlite`, `postgres`). The PostgreSQL block is reported as
 * skipped, with the reason in its title, when PostgreSQL is unreachable.
 */
export async function describeEachDatabase(
  name: string,
  body: (kind: DatabaseKind) => void,
): Promise<void> {
  const reason = await postgresUnavailableReason();
  describe(`${name} [sqlite]`, () => body('sqlite'));
  if (reason === undefined) {
    describe(`${name} [postgres]`, () => body('postgres'));
  } else {
    describe.skip(`${name} [postgres] — SKIPPED: ${reason}`, () => body('postgres'));
  }
}

export interface TestDatabase {
  readonly kind: DatabaseKind;
  readonly config: DatabaseConfig;
  /** Delete the SQLite directory or drop the PostgreSQL schema. Safe to call twice. */
  drop(): Promise<void>;
}

/** A fresh, empty database for one domain: a SQLite file in a new temp dir, or a new schema in `test`. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'baton-test-'));
    return {
      kind,
      config: { type: 'sqlite', path: join(dir, 'broker.sqlite') },
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withPostgres((db) => db.query(`CREATE SCHEMA "${schema}"`));
  let dropped = false;
  return {
    kind,
    config: { type: 'postgres', url: POSTGRES_URL, schema },
    drop: async () => {
      if (!dropped) {
        dropped = true;
        await withPostgres((db) => db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      }
    },
  };
}

/** Run `work` with a short-lived connection to the test database (raw SQL in assertions). */
const warned = new Set<string>();
function warnOnce(message: string): void {
  if (!warned.has(message)) {
    warned.add(message);
    console.warn(message);
  }
}
