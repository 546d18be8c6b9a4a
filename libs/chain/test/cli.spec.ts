import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustedIssuer } from '@baton/chain';
import {
  createAgent,
  createFederation,
  type BuiltChain,
  type Federation,
} from './fixtures/federation.js';

// The CLI runs as a real process from its bin, against the compiled library: the suite builds
// libs/chain first (incremental, seconds), exactly as `npm run build` does.

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(packageRoot, '../..');
const bin = join(packageRoot, 'bin/baton.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baton(args: readonly string[], stdin?: string, script = bin): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: repoRoot, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** items[index], failing the test when it is absent. */
function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) {
    throw new Error(`no item ${index}`);
  }
  return item;
}

let dir: string;
let fed: Federation;
let chain: BuiltChain;
let trustFile: string;

/** The CLI trust file form of the fixture's trusted issuers (static JWKS, offline). */
function trustFileOf(issuers: readonly TrustedIssuer[]): unknown {
  return {
    issuers: issuers.map(({ issuer, keys, tokenEndpoint, algorithms }) => ({
      issuer,
      jwks: 'jwks' in keys ? keys.jwks : undefined,
      tokenEndpoint,
      algorithms,
    })),
  };
}

async function writeJson(name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(value));
  return path;
}

beforeAll(async () => {
  await promisify(execFile)(
    process.execPath,
    [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', packageRoot],
    {
      cwd: repoRoot,
    },
  );
  dir = await mkdtemp(join(tmpdir(), 'baton-cli-'));
  fed = await createFederation({ domains: ['a', 'b', 'c'] });
  chain = await fed.issueChain({ path: ['a', 'b', 'c'], scope: ['read write', 'read', 'read'] });
  trustFile = await writeJson('trust.json', trustFileOf(fed.trustedIssuers()));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('baton (usage)', () => {
  it('prints help and exits 0 with --help', async () => {
    const run = await baton(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: baton <command>');
    expect(run.stdout).toContain('inspect <token>');
  });

  it('exits 2 with usage when no command or an unknown one is given', async () => {
    expect((await baton([])).code).toBe(2);
    const unknown = await baton(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command frobnicate');
  });

  it('exits 2 on an unknown option', async () => {
    const run = await baton(['inspect', '--colour', chain.token]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--colour'");
  });

  it('tells the user to build when the compiled CLI is missing', async () => {
    const unbuilt = join(dir, 'unbuilt/bin');
    await mkdir(unbuilt, { recursive: true });
    await copyFile(bin, join(unbuilt, 'baton.js'));
    const run = await baton(['--help'], undefined, join(unbuilt, 'baton.js'));
    expect(run.code).toBe(70);
    expect(run.stderr).toContain('the CLI is not built yet');
  });
});

describe('baton inspect', () => {
  it('draws every hop with domain, actor, audience, scope, times, jti, key and subject token', async () => {
    const run = await baton(['inspect', chain.token]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('NOTHING HERE IS VERIFIED');
    expect(run.stdout).toContain('chain  3 link(s), oldest first');
    const [l0, l1, l2] = [
      at(chain.linkClaims, 0),
      at(chain.linkClaims, 1),
      at(chain.linkClaims, 2),
    ];
    expect(run.stdout).toMatch(/├─ hop 0 {2}https:\/\/a\.example {2}\(origin grant\)/);
    expect(run.stdout).toMatch(/├─ hop 1 {2}https:\/\/b\.example {2}\(exchange\)/);
    expect(run.stdout).toMatch(/└─ hop 2 {2}https:\/\/c\.example {2}\(exchange\)/);
    expect(run.stdout).toMatch(/actor +agent@b\n/);
    expect(run.stdout).toMatch(/audience +https:\/\/api\.example\n/);
    expect(run.stdout).toMatch(/scope +read write\n/);
    expect(run.stdout).toContain(new Date(l0.iat * 1000).toISOString().replace('.000Z', 'Z'));
    expect(run.stdout).toContain(new Date(l2.exp * 1000).toISOString().replace('.000Z', 'Z'));
    for (const link of chain.linkClaims) {
      expect(run.stdout).toContain(`jti            ${link.jti}`);
    }
    expect(run.stdout).toContain(`cnf.jkt ${fed.agent.jkt}`);
    expect(run.stdout).toContain(
      `subject token  https://a.example jti ${l0.jti} hash ${l1.sbj?.hash}`,
    );
    expect(run.stdout).toContain(`POST https://b.example/token`);
    expect(run.stdout).toContain('key = cnf.jkt');
    expect(run.stdout).toContain(
      'act        agent@c (https://c.example) <- agent@b (https://b.example)',
    );
  });

  it('never prints the token or a compact link', async () => {
    const run = await baton(['inspect', chain.token]);
    for (const compact of [chain.token, ...chain.links, ...chain.proofs]) {
      expect(run.stdout).not.toContain(compact);
    }
  });

  it('reads the token from standard input and from @file alike', async () => {
    const fromArgument = await baton(['inspect', chain.token]);
    const fromStdin = await baton(['inspect', '-'], `${chain.token}\n`);
    const tokenFile = join(dir, 'token.txt');
    await writeFile(tokenFile, `  ${chain.token}\n`);
    const fromFile = await baton(['inspect', `@${tokenFile}`]);
    expect(fromStdin).toEqual(fromArgument);
    expect(fromFile).toEqual(fromArgument);
  });

  it('prints one JSON document with --json', async () => {
    const run = await baton(['inspect', '--json', chain.token]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      verified: boolean;
      token: { claims: Record<string, unknown>; chain: { depth: number } };
      links: {
        index: number;
        hash: string;
        claims: Record<string, unknown>;
        proof: { jkt: string; htu: string };
      }[];
    };
    expect(doc.verified).toBe(false);
    expect(doc.token.chain.depth).toBe(3);
    expect(doc.token.claims['jti']).toBe(chain.claims.jti);
    expect(doc.token.claims).not.toHaveProperty('baton');
    expect(doc.links.map((link) => link.claims['iss'])).toEqual([
      'https://a.example',
      'https://b.example',
      'https://c.example',
    ]);
    expect(at(doc.links, 2).claims['prev']).toBe(at(doc.links, 1).hash);
    expect(at(doc.links, 1).proof).toMatchObject({
      jkt: fed.agent.jkt,
      htu: 'https://b.example/token',
    });
    expect(at(doc.links, 1).claims).not.toHaveProperty('dpop');
  });

  it('exits 3 for input that is not a Baton token', async () => {
    const garbage = await baton(['inspect', 'not-a-token']);
    expect(garbage.code).toBe(3);
    expect(garbage.stderr).toContain('not a Baton token');
    const broken = await baton(['inspect', `${chain.token.slice(0, 40)}.x.y`]);
    expect(broken.code).toBe(3);
  });

  it('exits 3 for a signed JWT that is not a Baton token, printing no undefined fields', async () => {
    const plain = `${base64url.encode(JSON.stringify({ alg: 'ES256', typ: 'JWT' }))}.${base64url.encode(
      JSON.stringify({ iss: 'https://idp.example', sub: 'someone' }),
    )}.c2ln`;
    const run = await baton(['inspect', plain]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('not a Baton token: it has no baton claim');
    expect(run.stdout).toBe('');
    expect(run.stdout + run.stderr).not.toContain('undefined');
  });

  it('exits 3 for an empty or unreadable token input', async () => {
    expect((await baton(['inspect', '-'], '   \n')).code).toBe(3);
    const missing = await baton(['inspect', `@${join(dir, 'no-such-file')}`]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('ENOENT');
  });

  it('escapes terminal control characters found in claims', async () => {
    const hostile = await fed.issueChain({ path: ['a'], subject: 'agent\u001b[2Jx' });
    const run = await baton(['inspect', hostile.token]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).toContain('agent\\u{1b}[2Jx');
  });
});

describe('baton verify (offline, static JWKS)', () => {
  it('prints the verified summary and exits 0 for an honest chain', async () => {
    const run = await baton([
      'verify',
      chain.token,
      '--trust',
      trustFile,
      '--audience',
      fed.resource,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^VALID {2}every link verified with .*trust\.json \(offline\)/);
    expect(run.stdout).toMatch(/origin +https:\/\/a\.example\n/);
    expect(run.stdout).toMatch(/depth +3\n/);
    expect(run.stdout).toContain(
      `join key   (iss, jti) = (https://c.example, ${chain.claims.jti})`,
    );
    expect(run.stdout).toContain('hop 1  https://b.example -> https://c.example');
    expect(run.stdout).toContain('not checked: revocation status');
  });

  it('reports the verified chain as JSON with --json', async () => {
    const run = await baton([
      'verify',
      '--json',
      '--trust',
      trustFile,
      '--audience',
      fed.resource,
      chain.token,
    ]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      valid: boolean;
      depth: number;
      agentKeyThumbprint: string;
      hops: { domain: string; actor: string }[];
    };
    expect(doc).toMatchObject({
      valid: true,
      depth: 3,
      agentKeyThumbprint: fed.agent.jkt,
      joinKey: { iss: 'https://c.example', jti: chain.claims.jti },
    });
    expect(doc.hops.map((hop) => [hop.domain, hop.actor])).toEqual([
      ['https://a.example', 'agent'],
      ['https://b.example', 'agent@b'],
      ['https://c.example', 'agent@c'],
    ]);
  });

  it('says the audience was not checked when --audience is omitted', async () => {
    const run = await baton(['verify', chain.token, '--trust', trustFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'https://api.example (taken from the token: pass --audience to check it)',
    );
  });

  it('exits 1 naming invariant 5 and the link when a trusted middle domain widens scope', async () => {
    const widened = await fed.issueChain({
      path: ['a', 'b', 'c'],
      scope: ['read', 'read', 'read'],
      tamper: {
        linkClaims: (index, claims) => void (index === 1 && (claims.scope = 'read admin')),
      },
    });
    const run = await baton([
      'verify',
      widened.token,
      '--trust',
      trustFile,
      '--audience',
      fed.resource,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^INVALID {2}ERR_ATTENUATION: invariant 5 /);
    expect(run.stdout).toMatch(/link +1 \(https:\/\/b\.example\)\n/);
    const json = await baton([
      'verify',
      '--json',
      widened.token,
      '--trust',
      trustFile,
      '--audience',
      fed.resource,
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      error: { code: 'ERR_ATTENUATION', invariant: 5, link: 1, linkIssuer: 'https://b.example' },
    });
  });

  it('exits 1 with invariant 4 when another key signed a hop proof', async () => {
    const thief = await createAgent();
    const stolen = await fed.issueChain({
      path: ['a', 'b', 'c'],
      tamper: { proofAgent: (index) => (index === 2 ? thief : undefined) },
    });
    const run = await baton([
      'verify',
      '--json',
      stolen.token,
      '--trust',
      trustFile,
      '--audience',
      fed.resource,
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      valid: false,
      error: { invariant: 4, link: 2 },
    });
  });

  it('exits 1 with ERR_AUDIENCE when the token is not for the named verifier', async () => {
    const run = await baton([
      'verify',
      chain.token,
      '--trust',
      trustFile,
      '--audience',
      'https://other.example',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^INVALID {2}ERR_AUDIENCE: invariant 2 /);
  });

  it('exits 1 with ERR_UNTRUSTED_ISSUER when the trust file lacks an issuer on the path', async () => {
    const partial = await writeJson(
      'partial.json',
      trustFileOf(fed.trustedIssuers().filter((i) => i.issuer !== 'https://a.example')),
    );
    const run = await baton([
      'verify',
      '--json',
      chain.token,
      '--trust',
      partial,
      '--audience',
      fed.resource,
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: { code: 'ERR_UNTRUSTED_ISSUER', invariant: 1 },
    });
  });

  it('verifies an old chain as of --now, and refuses it as expired today', async () => {
    const then = Math.floor(Date.now() / 1000) - 86_400;
    const old = await fed.issueChain({ path: ['a', 'b'], now: then, ttl: 600 });
    const asOfThen = await baton([
      'verify',
      old.token,
      '--trust',
      trustFile,
      '--now',
      String(then + 60),
    ]);
    expect(asOfThen.code).toBe(0);
    const iso = new Date((then + 60) * 1000).toISOString();
    const asOfIso = await baton(['verify', old.token, '--trust', trustFile, '--now', iso]);
    expect(asOfIso.code, asOfIso.stderr).toBe(0);
    expect(asOfIso.stdout).toContain(`as of      ${iso.replace('.000Z', 'Z')}`);
    const today = await baton(['verify', '--json', old.token, '--trust', trustFile]);
    expect(today.code).toBe(1);
    expect(JSON.parse(today.stdout)).toMatchObject({
      error: { code: 'ERR_EXPIRED', invariant: 10 },
    });
  });

  it('exits 2 for a missing --trust, a bad --now or an unusable trust file', async () => {
    expect((await baton(['verify', chain.token])).code).toBe(2);
    for (const now of ['yesterday', '2026-11-26', '2026-11-26T23:23:08']) {
      expect((await baton(['verify', chain.token, '--trust', trustFile, '--now', now])).code).toBe(
        2,
      );
    }
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, 'issuers: []');
    const invalid = await baton(['verify', chain.token, '--trust', notJson]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('is not valid JSON');
    const bad = await writeJson('bad-trust.json', {
      issuers: [{ issuer: 'https://a.example/', roles: ['boss'], jwks: fed.domains['a']?.jwks }],
    });
    const refused = await baton(['verify', chain.token, '--trust', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `trust file ${bad}: issuers[0].issuer must not end with a slash`,
    );
    expect(refused.stderr).toContain('issuers[0].roles must be among present, upstream, origin');
  });

  it('takes its issuers from several --trust files', async () => {
    const issuers = trustFileOf(fed.trustedIssuers()) as { issuers: unknown[] };
    const first = await writeJson('first.json', { issuers: issuers.issuers.slice(0, 1) });
    const rest = await writeJson('rest.json', { issuers: issuers.issuers.slice(1) });
    const run = await baton(['verify', chain.token, '--trust', first, '--trust', rest]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const twice = await baton(['verify', chain.token, '--trust', trustFile, '--trust', first]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('is named more than once');
  });

  it('exits 3 when the token is not a Baton token', async () => {
    const run = await baton(['verify', 'abc.def', '--trust', trustFile]);
    expect(run.code).toBe(3);
  });
});

describe('baton verify (RFC 8414 discovery)', () => {
  let server: Server;
  let discoFed: Federation;
  let discoChain: BuiltChain;
  let discoTrust: string;
  let serveKeys = true;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const metadata = /^\/\.well-known\/oauth-authorization-server\/(\w+)$/.exec(url.pathname);
      const jwks = /^\/(\w+)\/jwks$/.exec(url.pathname);
      const domain = discoFed.domains[(metadata ?? jwks)?.[1] ?? ''];
      if (domain === undefined || (jwks !== null && !serveKeys)) {
        response.writeHead(404).end();
        return;
      }
      const body = metadata
        ? {
            issuer: domain.issuer,
            jwks_uri: `${domain.issuer}/jwks`,
            token_endpoint: domain.tokenEndpoint,
          }
        : domain.jwks;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const { port } = server.address() as AddressInfo;
    const issuers = Object.fromEntries(
      ['a', 'b', 'c'].map((name) => [name, `http://127.0.0.1:${port}/${name}`]),
    );
    discoFed = await createFederation({ domains: ['a', 'b', 'c'], issuers });
    discoChain = await discoFed.issueChain({ path: ['a', 'b', 'c'] });
    discoTrust = await writeJson('discover.json', {
      issuers: Object.values(issuers).map((issuer) => ({ issuer, discover: true })),
    });
  });

  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
  });

  it('fetches keys and token endpoints from each issuer metadata and exits 0', async () => {
    serveKeys = true;
    const run = await baton([
      'verify',
      discoChain.token,
      '--trust',
      discoTrust,
      '--audience',
      discoFed.resource,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('(with discovery)');
  });

  it('exits 1 with ERR_KEYS_UNAVAILABLE when an issuer does not serve its keys', async () => {
    serveKeys = false;
    const run = await baton([
      'verify',
      '--json',
      discoChain.token,
      '--trust',
      discoTrust,
      '--audience',
      discoFed.resource,
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: { code: 'ERR_KEYS_UNAVAILABLE', invariant: 1 },
    });
  });
});
