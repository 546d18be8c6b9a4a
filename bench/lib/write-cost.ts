import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource, DataSourceOptions, EntityManager } from 'typeorm';

/**
 * What the durable record of one issued token costs SQLite, measured apart from the rest of the
 * request: the rows a `private_key_jwt` issuance writes (its two single-use rows, its record, its
 * audit event and the audit head), as units of writes of 1, 5 and 64 tokens, one after another,
 * on a file the broker's migrations made (so with its indexes), through the broker's own path
 * (its SQLite driver and pragmas, `RowStatements`, `bundleOf` and `runBundle` from `dist/`).
 *
 * The rows have the sizes and key kinds of broker A's in a bench run: random identifiers and
 * hashes, a one-link chain of about 1.3 KB, an audit event of about 250 bytes, and the same
 * client, subject and key on every token.
 */
export interface WriteCost {
  tokensPerUnit: number;
  /** CPU time of the bench process (all threads: SQLite runs on libuv's pool) per token. */
  cpuMicrosPerToken: number;
  /** Wall time of one unit, from the call to its answer, in a process doing nothing else. */
  msPerUnit: number;
  /** 4 KiB pages the commits appended to the write-ahead log, per token. */
  walFramesPerToken: number;
}

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const broker = (path: string) => join(ROOT, 'dist/apps/broker/src', path);

interface RowWrite {
  bundled(): unknown;
}
interface RowStatementsOf<Row> {
  insertWrite(manager: EntityManager, rows: readonly Row[]): RowWrite;
  updateWrite(manager: EntityManager, key: string, value: unknown, values: object): RowWrite;
}
type RowStatementsClass = new <Row>(entity: unknown) => RowStatementsOf<Row>;

interface BrokerWritePath {
  databaseOptions(
    database: { type: 'sqlite'; path: string },
    timeouts: Record<string, number>,
  ): DataSourceOptions;
  RowStatements: RowStatementsClass;
  bundleOf(writes: readonly RowWrite[]): unknown;
  runBundle(manager: EntityManager, bundle: unknown): Promise<void>;
  entities: { issuedToken: unknown; seenJti: unknown; auditEvent: unknown; auditHead: unknown };
}

async function brokerWritePath(): Promise<BrokerWritePath> {
  const load = async (path: string) =>
    (await import(broker(path))) as Record<string, unknown> & Partial<BrokerWritePath>;
  const [options, rows, bundle, issued, seen, event, head] = await Promise.all([
    load('database/database-options.js'),
    load('database/row-statements.js'),
    load('database/sqlite-write-bundle.js'),
    load('database/issued-token.entity.js'),
    load('database/seen-jti.entity.js'),
    load('audit/audit-event.entity.js'),
    load('audit/audit-head.entity.js'),
  ]);
  return {
    databaseOptions: options.databaseOptions!,
    RowStatements: rows.RowStatements!,
    bundleOf: bundle.bundleOf!,
    runBundle: bundle.runBundle!,
    entities: {
      issuedToken: issued.IssuedTokenEntity,
      seenJti: seen.SeenJtiEntity,
      auditEvent: event.AuditEventEntity,
      auditHead: head.AuditHeadEntity,
    },
  };
}

const b64 = (bytes: number) => randomBytes(bytes).toString('base64url');

/** A unit's rows for `count` tokens, numbered from `next` (audit sequence, status index). */
function tokenRows(count: number, next: { seq: number; slot: number }, now: number) {
  const link = `${b64(60)}.${b64(900)}.${b64(64)}`;
  const issuer = 'http://127.0.0.1:41019';
  const jkt = 'RrnKW4HCz5ttzvOW40o89x8Em7Iwa3CXuVVWB0z3IAI';
  const seen = [];
  const records = [];
  const events = [];
  for (let i = 0; i < count; i += 1) {
    const jti = b64(18);
    const linkHash = b64(32);
    seen.push(
      { key: `dpop:${b64(32)}`, expiresAt: now + 300 },
      { key: `client_assertion:${b64(32)}`, expiresAt: now + 300 },
    );
    // The status index permutes slots (revocation/index-permutation.ts): random keys too.
    next.slot = (next.slot * 7919 + 13) % 1_000_003;
    records.push({
      jti,
      issuer,
      grantType: 'client_credentials',
      parentJti: null,
      parentIssuer: null,
      clientId: 'agent',
      sub: 'agent',
      aud: issuer,
      scope: 'read write',
      cnfJkt: jkt,
      iat: now,
      exp: now + 300,
      depth: 1,
      tokenHash: b64(32),
      linkHash,
      chainHashes: JSON.stringify([linkHash]),
      links: JSON.stringify([link]),
      statusList: 1,
      statusIdx: next.slot,
      revokedAt: null,
    });
    next.seq += 1;
    events.push({
      seq: next.seq,
      at: now,
      kind: 'token.issued',
      issuer,
      jti,
      parentIssuer: null,
      parentJti: null,
      subject: 'agent',
      clientId: 'agent',
      cnfJkt: jkt,
      data: JSON.stringify({ actor: 'agent', aud: issuer, depth: 1, linkHash, pad: b64(120) }),
      prevHash: b64(32),
      hash: b64(32),
    });
  }
  return { seen, records, events, head: { seq: next.seq, hash: b64(32) } };
}

/**
 * Measures units of `sizes` tokens, `tokens` tokens each, after `prefill` tokens (a database
 * the size of one a bench run leaves, so its indexes are as deep).
 */
export async function measureWriteCost(
  workDir: string,
  { sizes = [1, 5, 64], tokens = 1920, prefill = 20_000 } = {},
): Promise<WriteCost[]> {
  const path = await brokerWritePath();
  const { DataSource: DataSourceClass } = await import('typeorm');
  const dataSource: DataSource = await new DataSourceClass(
    path.databaseOptions(
      { type: 'sqlite', path: join(workDir, 'write-cost.sqlite') },
      { connectMs: 5000, acquireMs: 5000, statementMs: 5000, poolSize: 1, retryAfterSeconds: 1 },
    ),
  ).initialize();
  const { manager } = dataSource;
  const seenRows = new path.RowStatements(path.entities.seenJti);
  const recordRows = new path.RowStatements(path.entities.issuedToken);
  const eventRows = new path.RowStatements(path.entities.auditEvent);
  const headRows = new path.RowStatements(path.entities.auditHead);
  const next = { seq: 0, slot: 1 };
  const now = Math.floor(Date.now() / 1000);
  const unitOf = (count: number) => {
    const rows = tokenRows(count, next, now);
    const bundle = path.bundleOf([
      seenRows.insertWrite(manager, rows.seen),
      recordRows.insertWrite(manager, rows.records),
      eventRows.insertWrite(manager, rows.events),
      headRows.updateWrite(manager, 'id', 'log', rows.head),
    ]);
    if (bundle === undefined) {
      throw new Error('the write-cost rows do not travel as one bundle');
    }
    return bundle;
  };
  /** Frames in the log, which it then empties (TRUNCATE reports what is left: none). */
  const walFrames = async () => {
    const [row] = await manager.query<{ log: number }[]>('PRAGMA wal_checkpoint(PASSIVE)');
    await manager.query('PRAGMA wal_checkpoint(TRUNCATE)');
    return row.log;
  };
  try {
    await manager.query(
      `INSERT INTO "audit_head" ("id", "seq", "hash", "anchor_seq", "anchor_hash") VALUES ('log', 0, '', 0, '')`,
    );
    for (let filled = 0; filled < prefill; filled += 100) {
      await path.runBundle(manager, unitOf(100));
    }
    // Frames are counted between two checkpoints; the checkpoint's own work is in the CPU.
    await manager.query('PRAGMA wal_autocheckpoint = 0');
    const results: WriteCost[] = [];
    for (const size of sizes) {
      const units = Array.from({ length: Math.ceil(tokens / size) }, () => unitOf(size));
      await walFrames();
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      for (const unit of units) {
        await path.runBundle(manager, unit);
      }
      const ms = performance.now() - start;
      const frames = await walFrames();
      const cpu = process.cpuUsage(cpuBefore);
      const written = units.length * size;
      results.push({
        tokensPerUnit: size,
        cpuMicrosPerToken: (cpu.user + cpu.system) / written,
        msPerUnit: ms / units.length,
        walFramesPerToken: frames / written,
      });
    }
    return results;
  } finally {
    await dataSource.destroy();
  }
}
