import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import * as oauth from 'oauth4webapi';
import { calculateJwkThumbprint, decodeProtectedHeader } from 'jose';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAgentKey as importBatonAgentKey } from '@baton/agent';
import type { DelegatedTokenClaims } from '@baton/chain/protocol';
import {
  importAgentKey,
  publicJwkOf,
  runAgentJourney,
  type AgentJourneyResult,
} from '../apps/demo/agent-journey.js';
import { callResource } from '../apps/demo/agent-journey-resource.js';
import { renderJourneyReport } from '../apps/demo/agent-journey-report.js';
import { journeyOptionsFromManifest } from '../apps/demo/agent-journey.step.js';
import { JOURNEY_FILES, writeJourneyFiles } from '../apps/demo/journey-files.js';
import { main as baton } from '../libs/chain/src/cli/main.js';
import {
  buildFederationManifest,
  MANIFEST_PATH,
  readFederationManifest,
  writeFederationManifest,
  type FederationManifest,
} from '../apps/demo/manifest.js';
import { AGENT_KEY_FILE, readAgentPrivateJwk } from '../apps/demo/manifest-sources.js';
import { createResourceServerApp } from '../apps/resource-server/src/bootstrap.js';
import { parseResourceServerConfig } from '../apps/resource-server/src/config/parse-resource-server-config.js';
import {
  getFreePort,
  startBrokerDomain,
  type BrokerDomain,
  type RawConfig,
} from './support/index.js';

// The demo federation (config/a.yaml, b.yaml, c.yaml, resource-server.yaml and the demo agent
// key) in process on free loopback ports: each demo URL is replaced by its test URL. One change:
// B requires a DPoP nonce, so the journey's use_dpop_nonce retry is exercised too.

const repoRoot = process.cwd();
const DEMO_URLS = {
  a: 'http://127.0.0.1:4001',
  b: 'http://127.0.0.1:4002',
  c: 'http://127.0.0.1:4003',
  rs: 'http://127.0.0.1:4004',
} as const;

/** Every string equal to a demo URL becomes the test URL; everything else is kept. */
function retarget(value: unknown, urls: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    return urls.get(value) ?? value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => retarget(item, urls));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, retarget(item, urls)]),
    );
  }
  return value;
}

async function demoYaml(file: string, urls: ReadonlyMap<string, string>): Promise<RawConfig> {
  const raw = parseYaml(await readFile(join(repoRoot, 'config', file), 'utf8')) as RawConfig;
  return retarget(raw, urls) as RawConfig;
}

let domains: Record<'a' | 'b' | 'c', BrokerDomain>;
let resourceServer: INestApplication;
let rsUrl: string;
let manifestRoot: string;
let manifest: FederationManifest;
let agentJkt: string;

beforeAll(async () => {
  const ports = await Promise.all([getFreePort(), getFreePort(), getFreePort(), getFreePort()]);
  const [ia, ib, ic, rs] = ports.map((port) => `http://127.0.0.1:${port}`);
  rsUrl = rs;
  const urls = new Map([
    [DEMO_URLS.a, ia],
    [DEMO_URLS.b, ib],
    [DEMO_URLS.c, ic],
    [DEMO_URLS.rs, rs],
  ]);
  const raws: Record<'a' | 'b' | 'c', RawConfig> = {
    a: await demoYaml('a.yaml', urls),
    b: { ...(await demoYaml('b.yaml', urls)), dpop: { requireNonce: true } },
    c: await demoYaml('c.yaml', urls),
  };
  const start = (name: 'a' | 'b' | 'c', port: number) => {
    const { listen: _listen, database: _database, ...overrides } = raws[name];
    return startBrokerDomain({ issuerPort: port, configOverrides: overrides });
  };
  domains = {
    a: await start('a', ports[0]),
    b: await start('b', ports[1]),
    c: await start('c', ports[2]),
  };

  const rsRaw = await demoYaml('resource-server.yaml', urls);
  const rsConfig = parseResourceServerConfig(
    { ...rsRaw, listen: { host: '127.0.0.1', port: ports[3] } },
    'test resource server',
  );
  resourceServer = await createResourceServerApp(rsConfig, { logger: false });
  await resourceServer.listen(ports[3], '127.0.0.1');

  const agentPublicJwk = publicJwkOf(await readAgentPrivateJwk(repoRoot));
  agentJkt = await calculateJwkThumbprint(agentPublicJwk);
  const built = await buildFederationManifest({
    domains: (['a', 'b', 'c'] as const).map((name) => ({
      name,
      configFile: join('config', `${name}.yaml`),
      config: domains[name].config,
      raw: raws[name],
    })),
    resourceServer: { configFile: join('config', 'resource-server.yaml'), config: rsConfig },
    agentKeyFile: AGENT_KEY_FILE,
    agentPublicJwk,
  });
  manifestRoot = await mkdtemp(join(tmpdir(), 'baton-demo-'));
  await writeFederationManifest(manifestRoot, built);
  manifest = await readFederationManifest(manifestRoot);
});

afterAll(async () => {
  await resourceServer?.close();
  await Promise.all(Object.values(domains ?? {}).map((domain) => domain.close()));
  if (manifestRoot !== undefined) {
    await rm(manifestRoot, { recursive: true, force: true });
  }
});

async function journey(scope?: string): Promise<{ result: AgentJourneyResult; lines: string[] }> {
  const lines: string[] = [];
  const options = await journeyOptionsFromManifest(repoRoot, manifest);
  const result = await runAgentJourney({
    ...options,
    ...(scope === undefined ? {} : { scope }),
    log: (line) => lines.push(line),
  });
  return { result, lines };
}

describe('demo agent journey A → B → C with oauth4webapi, driven by the manifest', () => {
  it('binds every hop to the agent key, nests act per exchange, and the partner API accepts it', async () => {
    const { result, lines } = await journey();
    const claims = result.final.claims as unknown as DelegatedTokenClaims;
    const [a, b, c] = [domains.a.issuer, domains.b.issuer, domains.c.issuer];

    expect(result.agentKeyThumbprint).toBe(agentJkt);
    expect(claims.cnf.jkt).toBe(agentJkt);
    expect(claims).toMatchObject({ iss: b, aud: c, sub: 'agent', scope: 'orders:read' });
    expect(claims.act).toEqual({ iss: b, sub: 'agent', act: { iss: a, sub: 'agent' } });
    expect(result.final.links).toHaveLength(3);
    expect(result.final.links.map((link) => link.claims.iss)).toEqual([a, a, b]);
    expect(result.final.links.map((link) => link.claims.cnf.jkt)).toEqual([
      agentJkt,
      agentJkt,
      agentJkt,
    ]);
    expect(result.final.links.map((link) => link.claims.sbj === undefined)).toEqual([
      true,
      false,
      false,
    ]);

    expect(result.resource.status).toBe(200);
    expect(result.resource.body).toMatchObject({
      subject: 'agent',
      agentKeyThumbprint: agentJkt,
      originIssuer: a,
      issuer: b,
      audience: c,
      depth: 3,
      act: claims.act,
      proof: { htm: 'GET', htu: `${rsUrl}/api/whoami` },
    });
    // B requires a nonce: its exchange is retried once; A does not.
    expect(result.steps.map((step) => [step.label, step.retriedWithNonce])).toEqual([
      ['T0', false],
      ['T1', false],
      ['T2', true],
      ['resource', false],
    ]);

    const report = renderJourneyReport(result, { [a]: 'A', [b]: 'B', [c]: 'C' });
    expect(report).toContain(`  └─ act: iss B (${b}), sub agent`);
    expect(report).toContain(`     └─ act: iss A (${a}), sub agent`);
    expect(report.filter((line) => /^ {2}hop \d/.test(line))).toHaveLength(3);
    for (const token of result.tokens) {
      expect([...lines, ...report].some((line) => line.includes(token))).toBe(false);
    }
  });

  it('writes a manifest whose endpoints, keys and clients are those of the running federation', async () => {
    const written = JSON.parse(
      await readFile(join(manifestRoot, MANIFEST_PATH), 'utf8'),
    ) as FederationManifest;
    expect(written).toEqual(manifest);
    for (const name of ['a', 'b', 'c'] as const) {
      const entry = manifest.domains[name];
      const metadata = (await (await fetch(entry.metadataUrl)).json()) as Record<string, unknown>;
      expect(entry.issuer).toBe(domains[name].issuer);
      expect(metadata).toMatchObject({
        issuer: entry.issuer,
        token_endpoint: entry.tokenEndpoint,
        jwks_uri: entry.jwksUri,
      });
      const jwks = (await (await fetch(entry.jwksUri)).json()) as { keys: unknown[] };
      expect(jwks.keys.length).toBeGreaterThan(0);
    }
    expect(manifest.agent).toMatchObject({
      privateKeyFile: 'config/demo-keys/agent.private.jwk.json',
      keyThumbprint: agentJkt,
      algorithm: 'ES256',
    });
    expect(Object.keys(manifest.agent.clients).sort()).toEqual(['a', 'b']);
    expect(manifest.agent.clients['a']).toMatchObject({
      clientId: 'agent',
      authMethod: 'private_key_jwt',
    });

    expect(manifest.partnerApi).toMatchObject({
      url: rsUrl,
      healthUrl: `${rsUrl}/health`,
      audience: [domains.c.issuer],
    });
    expect((await fetch(manifest.partnerApi.healthUrl)).status).toBe(200);
  });

  it('the demo-service client works with the secret from where the manifest says it is', async () => {
    const entry = manifest.clients.find((client) => client.clientId === 'demo-service');
    expect(entry).toMatchObject({
      domain: 'a',
      authMethod: 'client_secret_basic',
      credential: { kind: 'file', file: 'config/a.yaml', path: 'clients[1].secret' },
    });
    const raw = parseYaml(await readFile(join(repoRoot, 'config', 'a.yaml'), 'utf8')) as {
      clients: { secret?: string }[];
    };
    const secret = raw.clients[1].secret ?? '';
    const as: oauth.AuthorizationServer = {
      issuer: manifest.domains['a'].issuer,
      token_endpoint: manifest.domains['a'].tokenEndpoint,
    };
    const client: oauth.Client = { client_id: 'demo-service' };
    const { keyPair } = await importAgentKey(await readAgentPrivateJwk(repoRoot));
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(secret),
      { scope: 'orders:read' },
      { DPoP: oauth.DPoP(client, keyPair), [oauth.allowInsecureRequests]: true },
    );
    const token = await oauth.processClientCredentialsResponse(as, client, response);
    expect(token.token_type).toBe('dpop');
    expect(decodeProtectedHeader(token.access_token).typ).toBe('at+jwt');
  });

  it('each partner API route answers per the scopes the manifest lists', async () => {
    const key = await importBatonAgentKey(await readAgentPrivateJwk(repoRoot));
    const readToken = (await journey('orders:read')).result.tokens[2];
    const writeOnly = (await journey('orders:write')).result.tokens[2];
    expect(manifest.partnerApi.routes.map((route) => route.path)).toEqual([
      '/api/orders',
      '/api/whoami',
    ]);
    for (const route of manifest.partnerApi.routes) {
      expect((await callResource(key, readToken, route.url)).status).toBe(200);
      const narrow = await callResource(key, writeOnly, route.url);
      if (route.requiredScopes.includes('orders:read')) {
        expect(narrow.status).toBe(403);
        expect(narrow.challenge?.error).toBe('insufficient_scope');
      } else {
        expect(narrow.status).toBe(200);
      }
    }
  });
});

describe('the journey files the README commands use', () => {
  it('writes T0..T2, a trust file and auditor credentials; baton inspect and verify work on them', async () => {
    const { result } = await journey();
    await writeJourneyFiles(
      manifestRoot,
      result.tokens,
      (['a', 'b', 'c'] as const).map((name) => ({
        issuer: domains[name].issuer,
        configFile: join(repoRoot, 'config', `${name}.yaml`),
      })),
    );
    const tokens = await Promise.all(
      JOURNEY_FILES.tokens.map((file) => readFile(join(manifestRoot, file), 'utf8')),
    );
    expect(tokens.map((token) => token.trim())).toEqual([...result.tokens]);
    const run = async (args: string[]) => {
      let out = '';
      const code = await baton(args, {
        stdout: (text) => (out += text),
        stderr: (text) => (out += text),
        readStdin: () => Promise.resolve(''),
      });
      return { code, out };
    };
    const t2 = `@${join(manifestRoot, JOURNEY_FILES.tokens[2])}`;
    expect((await run(['inspect', t2])).code).toBe(0);
    const trust = join(manifestRoot, JOURNEY_FILES.trust);
    const verified = await run(['verify', t2, '--trust', trust, '--audience', domains.c.issuer]);
    expect(verified.code, verified.out).toBe(0);
    const auditors = JSON.parse(
      await readFile(join(manifestRoot, JOURNEY_FILES.auditors), 'utf8'),
    ) as { domains: { issuer: string; credential: string }[] };
    expect(auditors.domains.map((domain) => domain.issuer)).toEqual(
      (['a', 'b', 'c'] as const).map((name) => domains[name].issuer),
    );
    for (const { issuer, credential } of auditors.domains) {
      const answer = await fetch(`${issuer}/audit/events?limit=1`, {
        headers: { authorization: `Bearer ${credential}` },
      });
      expect(answer.status).toBe(200);
    }
  });
});
