import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DelegatedTokenClaims } from '@baton/chain/protocol';
import { AuditEventEntity } from '../../apps/broker/src/audit/audit-event.entity.js';
import { runAuditCommand } from '../../apps/broker/src/audit/audit-command.js';
import { auditEventHash } from '../../apps/broker/src/audit/audit-hash.js';
import { AuditLog } from '../../apps/broker/src/audit/audit-log.service.js';
import { tokenRevokedEvent } from '../../apps/broker/src/audit/token-revoked.event.js';
import { IssuedTokenEntity } from '../../apps/broker/src/database/issued-token.entity.js';
import {
  createAgent,
  decodePayload,
  type Agent,
} from '../../libs/chain/test/fixtures/federation.js';
import { describeEachDatabase, startBrokerDomain, type BrokerDomain } from '../support/index.js';
import { clientCredentials, exchange, secretAuth, secretClient } from '../token-helpers.js';
import { dataSourceOf, eventsOf, failTokenEvents, verifyLogOf } from './audit-support.js';

await describeEachDatabase('the audit log', (kind) => {
  let a: BrokerDomain;
  let agent: Agent;

  beforeAll(async () => {
    a = await startBrokerDomain({
      kind,
      configOverrides: { clients: [secretClient('agent', ['read', 'write'])] },
    });
    agent = await createAgent();
  });
  afterAll(() => a?.close());

  async function originToken(): Promise<string> {
    const answer = await clientCredentials(a, secretAuth('agent'), agent, { scope: 'read write' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.access_token as string;
  }

  it('records the configuration and the first key at start, then each issued token with its parent (iss, jti)', async () => {
    const kinds = (await eventsOf(a)).map((event) => event.kind);
    expect(kinds.slice(0, 2).sort()).toEqual(['config.loaded', 'key.generated']);
    const t0 = await originToken();
    const r1 = await exchange(a, secretAuth('agent'), agent, t0, { scope: 'read' });
    expect(r1.status, JSON.stringify(r1.body)).toBe(200);
    const [c0, c1] = [t0, r1.body.access_token as string].map((t) =>
      decodePayload<DelegatedTokenClaims>(t),
    );
    const issued = await eventsOf(a, 'token.issued');
    const event = issued.find((e) => e.jti === c1.jti)!;
    expect(event).toMatchObject({
      issuer: a.issuer,
      parentIssuer: a.issuer,
      parentJti: c0.jti,
      subject: 'agent',
      clientId: 'agent',
      cnfJkt: agent.jkt,
    });
    expect(JSON.parse(event.data)).toMatchObject({
      actor: 'agent',
      aud: c1.aud,
      scope: 'read',
      iat: c1.iat,
      exp: c1.exp,
      chainIssuers: [a.issuer, a.issuer],
      depth: 2,
    });
    expect(issued.find((e) => e.jti === c0.jti)?.parentJti).toBeNull();
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
  });

  it('records a refusal with the rule that refused and the presenting issuer, never the token or secret', async () => {
    const t0 = await originToken();
    const refused = await exchange(a, secretAuth('agent'), agent, t0, { scope: 'admin' });
    expect(refused.status).toBe(400);
    const badSecret = await clientCredentials(
      a,
      secretAuth('agent', 'wrong-secret-0123456789'),
      agent,
    );
    expect(badSecret.status).toBe(401);
    const refusals = (await eventsOf(a, 'token.refused')).slice(-2);
    expect(refusals.map((e) => JSON.parse(e.data) as Record<string, unknown>)).toMatchObject([
      { error: 'invalid_scope', presentingIssuer: a.issuer },
      { error: 'invalid_client', presentingIssuer: null },
    ]);
    expect(refusals.map((e) => e.clientId)).toEqual(['agent', 'agent']);
    const stored = JSON.stringify(refusals);
    expect(stored).not.toContain(t0);
    expect(stored).not.toContain(t0.split('.')[2]);
    expect(stored).not.toContain('wrong-secret');
  });

  it('writes a token and its event atomically: a fault between them leaves neither, and no token leaves', async () => {
    const t0 = await originToken();
    const repository = dataSourceOf(a).getRepository(IssuedTokenEntity);
    const [tokensBefore, eventsBefore] = [
      await repository.count(),
      await eventsOf(a, 'token.issued'),
    ];
    await failTokenEvents(a, true);
    try {
      const answer = await exchange(a, secretAuth('agent'), agent, t0);
      expect(answer.status).toBe(500);
      expect(answer.body.access_token).toBeUndefined();
    } finally {
      await failTokenEvents(a, false);
    }
    expect(await repository.count()).toBe(tokensBefore);
    expect(await eventsOf(a, 'token.issued')).toHaveLength(eventsBefore.length);
    const last = (await eventsOf(a)).at(-1)!;
    expect(last.kind).toBe('token.refused');
    expect(JSON.parse(last.data)).toMatchObject({ error: 'server_error' });
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
    expect((await exchange(a, secretAuth('agent'), agent, t0)).status).toBe(200);
  });

  it('records a revocation through the API the revocation feature calls, in its transaction', async () => {
    const t0 = await originToken();
    const { jti } = decodePayload<DelegatedTokenClaims>(t0);
    const audit = a.app.get(AuditLog);
    await dataSourceOf(a).transaction((manager) =>
      audit.append(
        manager,
        tokenRevokedEvent(audit.now(), {
          iss: a.issuer,
          jti,
          reason: 'rfc7009',
          requestedBy: 'agent',
        }),
      ),
    );
    const revoked = (await eventsOf(a, 'token.revoked')).at(-1)!;
    expect(revoked).toMatchObject({ issuer: a.issuer, jti, clientId: 'agent' });
    expect(JSON.parse(revoked.data)).toEqual({ reason: 'rfc7009' });
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
  });

  it('names an edited event', async () => {
    await originToken();
    const events = dataSourceOf(a).getRepository(AuditEventEntity);
    const target = (await eventsOf(a, 'token.issued'))[1];
    await events.update({ seq: target.seq }, { clientId: 'someone-else' });
    try {
      expect(await verifyLogOf(a)).toMatchObject({
        valid: false,
        problem: 'altered',
        seq: target.seq,
      });
      // Re-hashing the edited event moves the break to the next link, and still names it.
      const edited = await events.findOneByOrFail({ seq: target.seq });
      await events.update({ seq: target.seq }, { hash: auditEventHash(edited) });
      expect(await verifyLogOf(a)).toMatchObject({
        valid: false,
        problem: 'altered',
        seq: target.seq,
      });
    } finally {
      await events.update({ seq: target.seq }, { clientId: target.clientId, hash: target.hash });
    }
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
  });

  it('names a deleted event', async () => {
    const events = dataSourceOf(a).getRepository(AuditEventEntity);
    const target = (await eventsOf(a, 'token.issued'))[0];
    await events.delete({ seq: target.seq });
    try {
      expect(await verifyLogOf(a)).toMatchObject({
        valid: false,
        problem: 'removed',
        seq: target.seq,
      });
    } finally {
      await events.insert(target);
    }
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
  });

  it('names an inserted event', async () => {
    const events = dataSourceOf(a).getRepository(AuditEventEntity);
    const all = await eventsOf(a);
    const after = all[2];
    const shift = (by: number, from: number) =>
      events
        .createQueryBuilder()
        .update()
        .set({ seq: () => `seq + ${by}` })
        .where('seq > :from', { from })
        .execute();
    // Make room after `after` (two steps, so no seq collides on the way), then forge a
    // well-formed event that links to it.
    await shift(1_000_000, after.seq);
    await shift(-999_999, after.seq + 999_999);
    const fields = {
      at: after.at,
      kind: 'token.issued',
      issuer: a.issuer,
      jti: 'forged',
      parentIssuer: null,
      parentJti: null,
      subject: 'mallory',
      clientId: 'agent',
      cnfJkt: null,
      data: '{}',
      prevHash: after.hash,
    };
    await events.insert({ seq: after.seq + 1, ...fields, hash: auditEventHash(fields) });
    try {
      expect(await verifyLogOf(a)).toMatchObject({
        valid: false,
        problem: 'inserted',
        seq: after.seq + 1,
      });
    } finally {
      await events.delete({ seq: after.seq + 1 });
      await shift(1_000_000, after.seq + 1);
      await shift(-1_000_001, after.seq + 1_000_001);
    }
    expect(await verifyLogOf(a)).toMatchObject({ valid: true, events: all.length });
  });

  it('`audit verify` checks the whole log from the broker configuration and exits 1 on a break', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-audit-'));
    try {
      const file = join(dir, 'a.json');
      await writeFile(file, JSON.stringify(a.raw));
      const run = async () => {
        let out = '';
        const code = await runAuditCommand(
          ['verify', '--config', file],
          {},
          {
            stdout: (text) => (out += text),
            stderr: (text) => (out += text),
          },
        );
        return { code, out };
      };
      const valid = await run();
      expect(valid.code, valid.out).toBe(0);
      expect(valid.out).toMatch(/^VALID {2}audit log of http:\/\/127\.0\.0\.1:\d+: \d+ event\(s\)/);
      const events = dataSourceOf(a).getRepository(AuditEventEntity);
      const target = (await eventsOf(a))[1];
      await events.update({ seq: target.seq }, { at: target.at + 1 });
      try {
        const broken = await run();
        expect(broken.code).toBe(1);
        expect(broken.out).toContain(
          `INVALID  audit log of ${a.issuer}: event ${target.seq} altered`,
        );
      } finally {
        await events.update({ seq: target.seq }, { at: target.at });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
