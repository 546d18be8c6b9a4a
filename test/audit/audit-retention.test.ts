import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GRANT_TYPE_CLIENT_CREDENTIALS } from '@baton/chain/protocol';
import { AuditEventEntity } from '../../apps/broker/src/audit/audit-event.entity.js';
import { AUDIT_GENESIS_HASH } from '../../apps/broker/src/audit/audit-hash.js';
import { readChainBounds } from '../../apps/broker/src/audit/audit-log.reader.js';
import { verifyAuditLog, type ChainedEvent } from '../../apps/broker/src/audit/verify-audit-log.js';
import { RetentionService } from '../../apps/broker/src/retention/retention.service.js';
import { createAgent, type Agent } from '../../libs/chain/test/fixtures/federation.js';
import {
  describeEachDatabase,
  ManualClock,
  startBrokerDomain,
  type BrokerDomain,
} from '../support/index.js';
import { postToken, proofFor, secretAuth, secretClient } from '../token-helpers.js';
import { auditTable, dataSourceOf, eventsOf, verifyLogOf } from './audit-support.js';

const RETAIN = 3600;

// Issue 10, the record: audit events past retention are exported, then pruned behind an anchor.
await describeEachDatabase('audit log retention', (kind) => {
  let a: BrokerDomain;
  let unarchived: BrokerDomain;
  let agent: Agent;
  let archiveDir: string;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'baton-audit-archive-'));
    const retention = { auditEventSeconds: RETAIN, intervalSeconds: 86400 };
    const clients = [secretClient('agent', ['read'])];
    a = await startBrokerDomain({
      kind,
      clock,
      configOverrides: { clients, retention: { ...retention, archiveDir } },
    });
    unarchived = await startBrokerDomain({ kind, clock, configOverrides: { clients, retention } });
    agent = await createAgent();
  });
  afterAll(async () => {
    await a?.close();
    await unarchived?.close();
    await rm(archiveDir, { recursive: true, force: true });
  });

  async function issue(domain: BrokerDomain): Promise<void> {
    const answer = await postToken(
      domain.url,
      { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, ...secretAuth('agent') },
      { dpop: await proofFor(agent, domain.issuer, { iat: clock.seconds() }) },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }

  async function archived(): Promise<ChainedEvent[]> {
    const files = (await readdir(archiveDir)).sort();
    expect(files.length).toBeGreaterThan(0);
    const events: ChainedEvent[] = [];
    for (const file of files) {
      expect(file).toMatch(/^audit_event-\d{4}-\d{2}-\d{2}\.jsonl$/);
      const lines = (await readFile(join(archiveDir, file), 'utf8')).trim().split('\n');
      events.push(...lines.map((line) => JSON.parse(line) as ChainedEvent));
    }
    return events;
  }

  it('moves events beyond the window to the archive and out of the table within one run; the rest verifies from the anchor', async () => {
    await issue(a);
    await issue(a);
    await issue(unarchived);
    const old = await eventsOf(a);
    clock.advance(RETAIN + 1);
    await issue(a);
    const fresh = (await eventsOf(a)).filter((event) => event.seq > old[old.length - 1].seq);
    expect(fresh.length).toBeGreaterThan(0);

    await a.app.get(RetentionService).runOnce();

    const remaining = await eventsOf(a);
    expect(remaining.map((event) => event.seq)).toEqual(fresh.map((event) => event.seq));
    const archive = await archived();
    expect(archive.map((event) => event.seq)).toEqual(old.map((event) => event.seq));
    expect(archive.map((event) => event.hash)).toEqual(old.map((event) => event.hash));

    const bounds = await readChainBounds(dataSourceOf(a).manager);
    expect(bounds.anchorSeq).toBe(old[old.length - 1].seq);
    expect(bounds.anchorHash).toBe(old[old.length - 1].hash);
    expect(await verifyLogOf(a)).toMatchObject({ valid: true, events: fresh.length });
    const fromGenesis = verifyAuditLog([...archive, ...remaining], {
      ...bounds,
      anchorSeq: 0,
      anchorHash: AUDIT_GENESIS_HASH,
    });
    expect(fromGenesis).toMatchObject({ valid: true, events: old.length + fresh.length });
  });

  it('still names an event altered after pruning, the first one after the anchor included', async () => {
    const [first] = await eventsOf(a);
    await dataSourceOf(a).query(
      `UPDATE ${auditTable(a)} SET data = '{"forged":true}' WHERE seq = ${first.seq}`,
    );
    try {
      expect(await verifyLogOf(a)).toMatchObject({
        valid: false,
        problem: 'altered',
        seq: first.seq,
      });
    } finally {
      await dataSourceOf(a)
        .getRepository(AuditEventEntity)
        .update({ seq: first.seq }, { data: first.data });
    }
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
  });

  // Replicas share PostgreSQL only: one broker process per SQLite file.
  it.skipIf(kind === 'sqlite')(
    'two replicas running retention at once archive each event once and keep one verifiable chain',
    async () => {
      const replica = await startBrokerDomain({ kind, replicaOf: a });
      try {
        await issue(a);
        await issue(replica);
        const before = await eventsOf(a);
        clock.advance(RETAIN + 1);
        await issue(replica);
        await Promise.all([
          a.app.get(RetentionService).runOnce(),
          replica.app.get(RetentionService).runOnce(),
        ]);
        const remaining = await eventsOf(a);
        expect(remaining[0].seq).toBe(before[before.length - 1].seq + 1);
        const archive = await archived();
        expect(new Set(archive.map((event) => event.seq)).size).toBe(archive.length);
        expect(await verifyLogOf(a)).toMatchObject({ valid: true, events: remaining.length });
        const bounds = await readChainBounds(dataSourceOf(a).manager);
        expect(
          verifyAuditLog([...archive, ...remaining], {
            ...bounds,
            anchorSeq: 0,
            anchorHash: AUDIT_GENESIS_HASH,
          }),
        ).toMatchObject({ valid: true, events: archive.length + remaining.length });
      } finally {
        await replica.close();
      }
    },
  );

  it('prunes nothing without an archive directory', async () => {
    const before = await eventsOf(unarchived);
    expect(before.some((event) => event.at < clock.seconds() - RETAIN)).toBe(true);
    await unarchived.app.get(RetentionService).runOnce();
    expect((await eventsOf(unarchived)).map((event) => event.seq)).toEqual(
      before.map((event) => event.seq),
    );
    expect(await readChainBounds(dataSourceOf(unarchived).manager)).toMatchObject({
      anchorSeq: 0,
      anchorHash: AUDIT_GENESIS_HASH,
    });
    expect(await verifyLogOf(unarchived)).toMatchObject({ valid: true });
  });
});
