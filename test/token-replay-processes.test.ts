import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRANT_TYPE_CLIENT_CREDENTIALS } from '@baton/chain/protocol';
import { createAgent, type Agent } from '../libs/chain/test/fixtures/federation.js';
import {
  deepMerge,
  getFreePort,
  postgresUnavailableReason,
  startBrokerDomain,
  type BrokerDomain,
} from './support/index.js';
import { postToken, proofFor, SECRET, secretClient, type TokenAnswer } from './token-helpers.js';

// Replica 2 runs as a real OS process from the compiled broker (built incrementally first, as
// `npm run build` does); replica 1 runs in this process. They share one PostgreSQL schema.

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const brokerMain = join(repoRoot, 'dist/apps/broker/src/main.js');
const READY_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 5_000;

// RFC 6749 §2.3.1: client_secret_basic, the credentials form-urlencoded inside Basic.
const basic = `Basic ${Buffer.from(
  `${encodeURIComponent('agent')}:${encodeURIComponent(SECRET)}`,
).toString('base64')}`;
const form = { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS };

function request(url: string, proof: string): Promise<TokenAnswer> {
  return postToken(url, form, { dpop: proof, headers: { authorization: basic } });
}

function expectReplayRefused(answer: TokenAnswer): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.error).toBe('invalid_dpop_proof');
  expect(answer.body.error_description).toMatch(/already used/);
  expect(answer.body.access_token).toBeUndefined();
}

interface BrokerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
}

function spawnBroker(configFile: string, url: string): BrokerProcess {
  const child = spawn(process.execPath, [brokerMain, '--config', configFile, '--quiet'], {
    cwd: repoRoot,
    env: { ...process.env, BATON_CONFIG: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return { url, child, output: () => output };
}

async function waitUntilReady(broker: BrokerProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (broker.child.exitCode !== null || broker.child.signalCode !== null) {
      throw new Error(`broker process exited before ready:\n${broker.output()}`);
    }
    try {
      const response = await fetch(`${broker.url}/health/ready`, {
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`broker process not ready after ${READY_TIMEOUT_MS} ms:\n${broker.output()}`);
}

async function stop(broker: BrokerProcess | undefined): Promise<void> {
  const child = broker?.child;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function jwksOf(url: string): Promise<unknown> {
  const response = await fetch(`${url}/jwks`, { signal: AbortSignal.timeout(5000) });
  expect(response.status).toBe(200);
  return response.json();
}

const postgresDown = await postgresUnavailableReason();
if (postgresDown !== undefined) {
  console.warn(`[token-replay-processes] SKIPPED: ${postgresDown}`);
}

describe.skipIf(postgresDown !== undefined)(
  `DPoP replay across two broker OS processes sharing one PostgreSQL schema${postgresDown ? ` — SKIPPED: ${postgresDown}` : ''}`,
  () => {
    let inProcess: BrokerDomain;
    let separate: BrokerProcess | undefined;
    let dir: string | undefined;
    let agent: Agent;

    beforeAll(async () => {
      await promisify(execFile)(
        process.execPath,
        [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'],
        { cwd: repoRoot, timeout: 110_000 },
      );
      inProcess = await startBrokerDomain({
        kind: 'postgres',
        configOverrides: { clients: [secretClient('agent', ['read'], 'client_secret_basic')] },
      });
      agent = await createAgent();
      dir = await mkdtemp(join(tmpdir(), 'baton-replica-'));
      const port = await getFreePort();
      const configFile = join(dir, 'replica.json');
      const raw = deepMerge(inProcess.raw, { listen: { host: '127.0.0.1', port } });
      expect(raw.issuer).toBe(inProcess.issuer);
      expect(raw.database).toEqual(inProcess.database.config);
      await writeFile(configFile, JSON.stringify(raw));
      separate = spawnBroker(configFile, `http://127.0.0.1:${port}`);
      try {
        await waitUntilReady(separate);
      } catch (error) {
        await stop(separate);
        throw error;
      }
    }, 120_000);

    afterAll(async () => {
      await stop(separate);
      await inProcess?.close();
      if (dir !== undefined) {
        await rm(dir, { recursive: true, force: true });
      }
    }, 30_000);

    it('publishes the same JWKS from both processes (one domain, keys in the database)', async () => {
      const first = await request(inProcess.url, await proofFor(agent, inProcess.issuer));
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const [inProcessJwks, separateJwks] = await Promise.all([
        jwksOf(inProcess.url),
        jwksOf(separate!.url),
      ]);
      expect(separateJwks).toEqual(inProcessJwks);
      const { kid } = decodeProtectedHeader(first.body.access_token as string);
      expect((separateJwks as { keys: { kid?: string }[] }).keys.map((key) => key.kid)).toContain(
        kid,
      );
    });

    it('refuses at the separate process a proof the in-process replica accepted', async () => {
      const proof = await proofFor(agent, inProcess.issuer);
      const first = await request(inProcess.url, proof);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expectReplayRefused(await request(separate!.url, proof));
    });

    it('refuses at the in-process replica a proof the separate process accepted', async () => {
      const proof = await proofFor(agent, inProcess.issuer);
      const first = await request(separate!.url, proof);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body.token_type).toBe('DPoP');
      expectReplayRefused(await request(inProcess.url, proof));
    });
  },
);
