import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgentJourney } from '../apps/demo/agent-journey.js';
import { AGENT_KEY_FILE } from '../apps/demo/manifest-sources.js';
import {
  codeBlock,
  instantiate,
  missingShippedFiles,
  packWorkspaces,
  registryUnavailableReason,
  run,
  startExample,
  stop,
} from './package-install-helpers.js';
import { parse as parseYaml } from 'yaml';
import {
  getFreePort,
  retarget,
  startDemoFederation,
  type DemoFederation,
} from './support/index.js';

// `npm pack` of @baton/chain and @baton/chain-nest, installed together from their tarballs into
// an empty project outside the repository (NestJS and jose come from the npm registry), and both
// README examples run there, unchanged but for URLs and ports, against the demo's three brokers.

const repoRoot = process.cwd();
const NEST_PACKAGES = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express'];

let skipReason: string | undefined;
let scratch: string;
let federation: DemoFederation;
const children: ChildProcess[] = [];

beforeAll(async () => {
  skipReason = await registryUnavailableReason(repoRoot);
  if (skipReason !== undefined) {
    console.warn(`package-install.test.ts skipped: ${skipReason}`);
    return;
  }
  scratch = await mkdtemp(join(tmpdir(), 'baton-packed-'));
  const tarballs = await packWorkspaces(
    repoRoot,
    ['libs/chain', 'libs/chain-nest', 'libs/agent'],
    scratch,
  );
  const root = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const versions = { ...root.dependencies, ...root.devDependencies };
  const fromRegistry = [...NEST_PACKAGES, 'reflect-metadata', 'rxjs', '@types/node'].map(
    (name) => `${name}@${versions[name]}`,
  );
  await writeFile(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'partner-api', private: true, type: 'module' }),
  );
  await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, ...fromRegistry],
    { cwd: scratch, timeoutMs: 180_000 },
  );
  federation = await startDemoFederation();
}, 240_000);

afterAll(async () => {
  await Promise.all(children.map(stop));
  await federation?.close();
  if (scratch !== undefined) {
    await rm(scratch, { recursive: true, force: true });
  }
});

/** The example's placeholders → this federation and a free port for the example itself. */
function placeholders(port: number): [string, string][] {
  const { a, b, c } = federation.domains;
  return [
    ['https://api.c.example', `http://127.0.0.1:${port}`],
    ['https://a.example', a.issuer],
    ['https://b.example', b.issuer],
    ['https://c.example', c.issuer],
  ];
}

/** The demo agent's journey A → B → C, its final token presented at `resourceUrl`. */
async function journeyTo(resourceUrl: string) {
  const { a, b, c } = federation.domains;
  return runAgentJourney({
    privateJwk: federation.agentPrivateJwk,
    origin: { issuer: a.issuer, clientId: 'agent' },
    via: { issuer: b.issuer, clientId: 'agent' },
    target: { issuer: c.issuer },
    resourceUrl,
  });
}

/** The plain-Node README example, running from the installed tarball on a free port. */
async function startPlainNodeExample(): Promise<string> {
  const port = await getFreePort();
  const example = await codeBlock(join(repoRoot, 'libs/chain/README.md'), 'js');
  const code = instantiate(example, [
    ...placeholders(port),
    ['.listen(8080)', `.listen(${port}, '127.0.0.1')`],
  ]);
  const file = `plain-node-${port}.js`;
  await writeFile(join(scratch, file), code);
  children.push(await startExample(scratch, file, `http://127.0.0.1:${port}/`));
  return `http://127.0.0.1:${port}`;
}

describe('the packed libraries installed from their tarballs outside the repository', () => {
  it('ship every file their exports, bin, source maps and README name, and a LICENSE', async (ctx) => {
    if (skipReason !== undefined) {
      return ctx.skip(skipReason);
    }
    for (const name of ['chain', 'chain-nest', 'agent']) {
      const dir = join(scratch, 'node_modules', '@baton', name);
      expect(await missingShippedFiles(dir)).toEqual([]);
      expect(await readFile(join(dir, 'LICENSE'), 'utf8')).toContain('Apache License');
    }
    // The dependencies on @baton/chain@0.1.0 are the installed tarball, not second copies.
    for (const name of ['chain-nest', 'agent']) {
      const nested = join(scratch, 'node_modules', '@baton', name, 'node_modules', '@baton');
      await expect(readFile(join(nested, 'chain', 'package.json'))).rejects.toThrow();
    }
  });

  it('runs the plain-Node README example (JavaScript) and it verifies the demo token', async (ctx) => {
    if (skipReason !== undefined) {
      return ctx.skip(skipReason);
    }
    const url = `${await startPlainNodeExample()}/api/orders`;

    const { a, b, c } = federation.domains;
    const result = await journeyTo(url);
    expect(result.resource.body).toEqual({
      subject: 'agent',
      path: [a.issuer, a.issuer, b.issuer],
    });
    expect(result.final.claims).toMatchObject({ iss: b.issuer, aud: c.issuer });
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^DPoP /);

    // One trust shape: the partner API's `trust:` section (config/resource-server.yaml), as
    // JSON, is a trust file for the `baton` CLI installed from the tarball.
    const rsYaml = await readFile(join(repoRoot, 'config/resource-server.yaml'), 'utf8');
    const { trust } = retarget(parseYaml(rsYaml), federation.urls) as { trust: unknown };
    await writeFile(join(scratch, 'trust.json'), JSON.stringify(trust));
    const baton = join(scratch, 'node_modules', '.bin', 'baton');
    const verified = await run(
      baton,
      ['verify', result.tokens[2], '--trust', 'trust.json', '--audience', c.issuer],
      { cwd: scratch, timeoutMs: 30_000 },
    );
    expect(verified).toMatch(/^VALID/);
  });

  it('type-checks the NestJS README example against the packed types and it verifies the demo token', async (ctx) => {
    if (skipReason !== undefined) {
      return ctx.skip(skipReason);
    }
    const port = await getFreePort();
    const example = await codeBlock(join(repoRoot, 'libs/chain-nest/README.md'), 'ts');
    const code = instantiate(example, [
      ...placeholders(port),
      ['app.listen(3000)', `app.listen(${port}, '127.0.0.1')`],
    ]);
    await writeFile(join(scratch, 'nest-app.ts'), code);
    await writeFile(join(scratch, 'tsconfig.json'), JSON.stringify(NEST_TSCONFIG));
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: scratch, timeoutMs: 120_000 });
    const url = `http://127.0.0.1:${port}/api/orders`;
    children.push(await startExample(scratch, 'nest-app.js', url));

    const { a, b } = federation.domains;
    const result = await journeyTo(url);
    expect(result.resource.body).toEqual({ subject: 'agent', via: [a.issuer, a.issuer, b.issuer] });
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
  });
});

describe('the packed @baton/agent installed from its tarball', () => {
  it('runs its README journey against the demo brokers and the plain-Node example', async (ctx) => {
    if (skipReason !== undefined) {
      return ctx.skip(skipReason);
    }
    const { a, b, c } = federation.domains;
    const api = await startPlainNodeExample();
    const example = await codeBlock(join(repoRoot, 'libs/agent/README.md'), 'js');
    const code = instantiate(example, [
      ["'agent.private.jwk.json'", JSON.stringify(join(repoRoot, AGENT_KEY_FILE))],
      ['https://api.c.example/api/whoami', `${api}/api/whoami`],
      ['https://a.example', a.issuer],
      ['https://b.example', b.issuer],
      ['https://c.example', c.issuer],
    ]);
    await writeFile(join(scratch, 'agent-journey.js'), code);
    const printed = await run(process.execPath, ['agent-journey.js'], {
      cwd: scratch,
      timeoutMs: 30_000,
    });
    expect(printed).toMatch(/^200 \{\s+subject: 'agent',\s+path: \[/m);
    expect(printed).toContain(b.issuer);
  });
});

/** A partner's ordinary NestJS compiler settings: ESM, strict, decorator metadata. */
const NEST_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: true,
    types: ['node'],
  },
  files: ['nest-app.ts'],
};
