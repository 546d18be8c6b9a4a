import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../libs/chain/src/cli/main.js';
import type { TraceNode } from '../../libs/chain/src/cli/trace-graph.js';
import {
  AUDITOR_ID,
  AUDITOR_SECRET,
  runAuditJourney,
  startAuditFederation,
  type AuditFederation,
  type AuditJourney,
} from './audit-federation.js';

async function baton(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    readStdin: () => Promise.resolve(''),
  });
  return { code, out, err };
}

const shape = (node: TraceNode): unknown => ({
  jti: node.jti,
  children: node.children.map(shape),
});

describe('baton trace across three domains', () => {
  let fed: AuditFederation;
  let journey: AuditJourney;
  let dir: string;
  let auditors: string;

  beforeAll(async () => {
    fed = await startAuditFederation();
    journey = await runAuditJourney(fed);
    dir = await mkdtemp(join(tmpdir(), 'baton-trace-'));
    auditors = join(dir, 'auditors.json');
    const credential = `${AUDITOR_ID}.${AUDITOR_SECRET}`;
    await writeFile(
      auditors,
      JSON.stringify({
        domains: [fed.a, fed.b, fed.c].map(({ issuer }) => ({ issuer, credential })),
      }),
    );
    await writeFile(join(dir, 't2.jwt'), journey.tokens.t2);
  }, 60_000);
  afterAll(async () => {
    await fed?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('follows the chain and the derived tokens domain to domain into one tree, fan-out included', async () => {
    const run = await baton(['trace', `@${join(dir, 't2.jwt')}`, '--auditors', auditors, '--json']);
    expect(run.code, run.err).toBe(0);
    const { root, failures } = JSON.parse(run.out) as { root: TraceNode; failures: string[] };
    expect(failures).toEqual([]);
    const { jti } = journey;
    expect(shape(root)).toEqual({
      jti: jti.t0,
      children: [
        {
          jti: jti.t1,
          children: [
            { jti: jti.t2, children: [{ jti: jti.t3, children: [] }] },
            { jti: jti.t2b, children: [{ jti: jti.t2c, children: [] }] },
          ],
        },
      ],
    });
    const t2 = root.children[0].children[0];
    expect(t2).toMatchObject({ iss: fed.b.issuer, given: true, onPath: true, actor: 'agent-b' });
    expect(t2.source).toMatch(new RegExp(`^chain; log ${fed.b.issuer} #\\d+$`));
    expect(t2.children[0].source).toMatch(new RegExp(`^log ${fed.c.issuer} #\\d+$`));
  });

  it('prints the tree with every domain, and never the token or a credential', async () => {
    const run = await baton(['trace', journey.tokens.t2, '--auditors', auditors]);
    expect(run.code, run.err).toBe(0);
    for (const id of Object.values(journey.jti)) {
      expect(run.out).toContain(`jti ${id}`);
    }
    expect(run.out).toContain('<== the given token');
    expect(run.out).toMatch(/├─ .*jti /);
    expect(run.out).not.toContain(journey.tokens.t2);
    expect(run.out).not.toContain(AUDITOR_SECRET);
  });

  it('says the tree is incomplete (exit 1) when a domain refuses the credential', async () => {
    const wrong = join(dir, 'wrong.json');
    await writeFile(
      wrong,
      JSON.stringify({
        domains: [
          { issuer: fed.b.issuer, credential: `${AUDITOR_ID}.${AUDITOR_SECRET}` },
          { issuer: fed.c.issuer, credential: `${AUDITOR_ID}.not-the-secret-0123456789` },
        ],
      }),
    );
    const run = await baton(['trace', journey.tokens.t2, '--auditors', wrong]);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`INCOMPLETE`);
    expect(run.out).toContain(`${fed.c.issuer}: auditor API answered 401`);
  });
});
