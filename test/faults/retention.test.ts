import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GRANT_TYPE_CLIENT_CREDENTIALS } from '@baton/chain/protocol';
import {
  decodePayload,
  createAgent,
  type Agent,
} from '../../libs/chain/test/fixtures/federation.js';
import {
  describeEachDatabase,
  ManualClock,
  startBrokerDomain,
  type BrokerDomain,
} from '../support/index.js';
import { postToken, proofFor, secretAuth, secretClient } from '../token-helpers.js';
import { committedRows } from './fault-helpers.js';

const RETAIN = 120;

// Issue 8 §6: issued_token rows past the retention window are archived, then deleted.
await describeEachDatabase('fault: issued_token retention', (kind) => {
  let a: BrokerDomain;
  let agent: Agent;
  let archiveDir: string;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'baton-archive-'));
    a = await startBrokerDomain({
      kind,
      clock,
      configOverrides: {
        clients: [secretClient('agent', ['read'])],
        retention: { issuedTokenSeconds: RETAIN, intervalSeconds: 1, archiveDir },
      },
    });
    agent = await createAgent();
  });
  afterAll(async () => {
    await a?.close();
    await rm(archiveDir, { recursive: true, force: true });
  });

  async function issue(): Promise<string> {
    const answer = await postToken(
      a.url,
      { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, ...secretAuth('agent') },
      { dpop: await proofFor(agent, a.issuer, { iat: clock.seconds() }) },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return decodePayload<{ jti: string }>(String(answer.body.access_token)).jti;
  }

  async function jtis(): Promise<string[]> {
    return (await committedRows(a, 'SELECT jti FROM issued_token')).map((row) => String(row.jti));
  }

  it('expired records beyond the window move to the JSON Lines archive within a bounded time', async () => {
    const old = [await issue(), await issue(), await issue()];
    clock.advance(a.config.tokens.accessTokenTtlSeconds + RETAIN + 1);
    const fresh = await issue();
    const deadline = Date.now() + 20_000;
    let remaining = await jtis();
    while (old.some((jti) => remaining.includes(jti)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      remaining = await jtis();
    }
    expect(remaining).toEqual([fresh]);
    const files = await readdir(archiveDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^issued_token-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const archived = (await readFile(join(archiveDir, files[0]), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { jti: string; tokenHash: string });
    expect(archived.map((row) => row.jti).sort()).toEqual([...old].sort());
    expect(archived[0].tokenHash).toMatch(/^[\w-]{43}$/);
  });
});
