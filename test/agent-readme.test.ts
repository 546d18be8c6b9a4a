import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BatonAgent,
  importAgentKey,
  loadOrCreateAgentKey,
  type AgentRequestEvent,
} from '@baton/agent';
import { AGENT_KEY_FILE } from '../apps/demo/manifest-sources.js';
import { codeBlock, instantiate } from './package-install-helpers.js';
import { startDemoFederation, type DemoFederation } from './support/index.js';

// The @baton/agent README example, extracted from the README and run as written but for the
// demo URLs and the key file, against the demo's three brokers and partner API (B asks for a
// DPoP nonce, so the retry runs too).

const repoRoot = process.cwd();
let federation: DemoFederation;
let scratch: string;

beforeAll(async () => {
  federation = await startDemoFederation({
    partnerApi: true,
    overrides: { b: { dpop: { requireNonce: true } } },
  });
  scratch = await mkdtemp(join(tmpdir(), 'baton-agent-'));
});

afterAll(async () => {
  await federation?.close();
  if (scratch !== undefined) {
    await rm(scratch, { recursive: true, force: true });
  }
});

describe('@baton/agent', () => {
  it('runs the README journey as written: origin token at A, exchanges at A and B, the partner API accepts it', async () => {
    const { a, b, c } = federation.domains;
    const example = await codeBlock(join(repoRoot, 'libs/agent/README.md'), 'js');
    const code = instantiate(example, [
      ["'@baton/agent'", JSON.stringify(join(repoRoot, 'libs/agent/src/index.ts'))],
      ["'agent.private.jwk.json'", JSON.stringify(join(repoRoot, AGENT_KEY_FILE))],
      ['https://api.c.example', federation.partnerApi ?? ''],
      ['https://a.example', a.issuer],
      ['https://b.example', b.issuer],
      ['https://c.example', c.issuer],
    ]);
    expect(example.trimEnd().split('\n').length).toBeLessThan(20);
    const file = join(scratch, 'journey.mjs');
    await writeFile(file, code);
    const printed: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args) => void printed.push(args));
    try {
      await import(file);
    } finally {
      log.mockRestore();
    }
    const agentKey = await importAgentKey(federation.agentPrivateJwk);
    expect(printed.at(-1)?.[0]).toBe(200);
    expect(printed.at(-1)?.[1]).toMatchObject({
      subject: 'agent',
      agentKeyThumbprint: agentKey.jkt,
      originIssuer: a.issuer,
      issuer: b.issuer,
      audience: c.issuer,
      depth: 3,
    });
  });

  it('binds every hop to one key, retries a nonce refusal once, and reports requests without tokens', async () => {
    const { a, b, c } = federation.domains;
    const events: AgentRequestEvent[] = [];
    const key = await importAgentKey(federation.agentPrivateJwk);
    const agent = new BatonAgent({ key, clientId: 'agent', observe: (e) => events.push(e) });
    const t0 = await agent.originToken({ issuer: a.issuer, scope: 'orders:read' });
    const t1 = await agent.exchange(t0, { issuer: a.issuer, audience: b.issuer });
    const t2 = await agent.exchange(t1, { issuer: b.issuer, audience: c.issuer });
    for (const token of [t0, t1, t2]) {
      expect(decodeJwt(token.accessToken)).toMatchObject({ cnf: { jkt: agent.jkt } });
    }
    expect(decodeJwt(t2.accessToken)).toMatchObject({ iss: b.issuer, aud: c.issuer });
    expect([t0, t1, t2].map((t) => t.retriedWithNonce)).toEqual([false, false, true]);

    const accepted = await agent.fetch(t2, `${federation.partnerApi}/api/whoami`);
    expect(accepted.status).toBe(200);
    const refused = await agent.fetch(t1, `${federation.partnerApi}/api/whoami`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
    expect(events.map((e) => [e.kind, e.status, e.retriedWithNonce])).toEqual([
      ['token', 200, false],
      ['token', 200, false],
      ['token', 200, true],
      ['resource', 200, false],
      ['resource', 401, false],
    ]);
    const tokens = [t0, t1, t2].map((t) => t.accessToken);
    expect(JSON.stringify(events)).not.toMatch(new RegExp(tokens.join('|').replaceAll('.', '\\.')));
  });

  it('generates a key file once (mode 0600) and loads the same key from it after', async () => {
    const path = join(scratch, 'new-agent.jwk.json');
    const created = await loadOrCreateAgentKey(path);
    const loaded = await loadOrCreateAgentKey(path);
    expect(loaded.jkt).toBe(created.jkt);
    expect(loaded.publicJwk).toEqual(created.publicJwk);
    expect(created.publicJwk).not.toHaveProperty('d');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('refuses a public JWK as the agent key', async () => {
    const { publicJwk } = await importAgentKey(federation.agentPrivateJwk);
    await expect(importAgentKey(publicJwk)).rejects.toThrow('must be a private JWK');
  });
});
