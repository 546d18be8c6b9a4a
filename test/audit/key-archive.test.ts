import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JSONWebKeySet } from 'jose';
import { decodeProtectedHeader } from 'jose';
import { KeysService } from '../../apps/broker/src/keys/keys.service.js';
import { main } from '../../libs/chain/src/cli/main.js';
import { createAgent, type Agent } from '../../libs/chain/test/fixtures/federation.js';
import { ManualClock, startBrokerDomain, type BrokerDomain } from '../support/index.js';
import { clientCredentials, secretAuth, secretClient } from '../token-helpers.js';
import { eventsOf } from './audit-support.js';
import { AUDITOR_BEARER, AUDITOR_ID, AUDITOR_SECRET } from './audit-federation.js';

const INTERVAL = 3600;
const PRE_PUBLISH = 600;

async function baton(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(args, {
    stdout: (text) => (out += text),
    stderr: (text) => (out += text),
    readStdin: () => Promise.resolve(''),
  });
  return { code, out };
}

describe('keys for old tokens', () => {
  let domain: BrokerDomain;
  let clock: ManualClock;
  let agent: Agent;
  let dir: string;

  beforeAll(async () => {
    clock = new ManualClock();
    agent = await createAgent();
    dir = await mkdtemp(join(tmpdir(), 'baton-key-archive-'));
    domain = await startBrokerDomain({
      clock,
      configOverrides: {
        clients: [secretClient('agent', ['read'])],
        keys: { rotationIntervalSeconds: INTERVAL, prePublishSeconds: PRE_PUBLISH },
        tokens: { accessTokenTtlSeconds: 300, maxTokenTtlSeconds: 900 },
        auditors: [{ id: AUDITOR_ID, secret: AUDITOR_SECRET }],
      },
    });
  });
  afterAll(async () => {
    await domain?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies a token signed before two key rotations from the domain export, though discovery no longer serves its key', async () => {
    const answer = await clientCredentials(domain, secretAuth('agent'), agent);
    expect(answer.status).toBe(200);
    const token = answer.body.access_token as string;
    const issuedAt = clock.seconds();
    const oldKid = decodeProtectedHeader(token).kid;
    const keys = domain.app.get(KeysService);
    for (let rotation = 0; rotation < 2; rotation += 1) {
      clock.advance(INTERVAL - PRE_PUBLISH);
      await keys.refresh();
      clock.advance(PRE_PUBLISH);
      await keys.refresh();
    }
    clock.advance(INTERVAL);
    await keys.refresh();
    const jwks = (await (await fetch(`${domain.url}/jwks`)).json()) as JSONWebKeySet;
    expect(jwks.keys.map((key) => key.kid)).not.toContain(oldKid);
    expect((await eventsOf(domain, 'key.generated')).length).toBeGreaterThanOrEqual(3);
    expect((await eventsOf(domain, 'key.retired')).length).toBeGreaterThanOrEqual(2);

    const archive = await fetch(`${domain.url}/audit/keys`, {
      headers: { authorization: AUDITOR_BEARER },
    });
    const archived = (await archive.json()) as { keys: { kid: string; expiresAt: number }[] };
    expect(archived.keys.map((key) => key.kid)).toContain(oldKid);

    const exported = await fetch(`${domain.url}/audit/export`, {
      headers: { authorization: AUDITOR_BEARER },
    });
    const exportFile = join(dir, 'a-export.jsonl');
    await writeFile(exportFile, await exported.text());
    const tokenFile = join(dir, 'old.jwt');
    await writeFile(tokenFile, token);
    const asOf = new Date((issuedAt + 10) * 1000).toISOString();
    const fromExport = await baton([
      'verify',
      `@${tokenFile}`,
      '--trust',
      exportFile,
      '--now',
      asOf,
    ]);
    expect(fromExport.code, fromExport.out).toBe(0);
    expect(fromExport.out).toMatch(/^VALID/);

    const discoverFile = join(dir, 'discover.json');
    await writeFile(
      discoverFile,
      JSON.stringify({ issuers: [{ issuer: domain.issuer, discover: true }] }),
    );
    const fromDiscovery = await baton([
      'verify',
      `@${tokenFile}`,
      '--trust',
      discoverFile,
      '--now',
      asOf,
    ]);
    expect(fromDiscovery.code).toBe(1);
    expect(fromDiscovery.out).toContain('no key with this key id');
  });
});
