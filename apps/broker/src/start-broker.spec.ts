import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../../../test/support/index.js';
import { startBroker } from './start-broker.js';

describe('startBroker (what main.js runs)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-start-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits non-zero with one message naming the file and every bad field', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      'issuer: http://evil.example\nlisten: { port: 4001 }\nkeys: { algorithm: none }\npeers:\n  - issuer: https://b.example\n',
    );
    const lines: string[] = [];
    const result = await startBroker(['--config', file], {}, (line) => lines.push(line));
    expect(result).toEqual({ exitCode: 2 });
    expect(lines.join('\n').split('\n')).toEqual([
      `${file}: issuer must be an https URL (http is accepted only on loopback hosts)`,
      `${file}: keys.algorithm must be one of ES256, ES384, EdDSA, PS256`,
      `${file}: peers[0] has no keys: set jwks or discover: true`,
      `${file}: keys.encryptionKeyEnv is required in production mode (the environment variable holding the 32-byte key-encryption key)`,
    ]);
  });

  it('names a missing or unparsable file', async () => {
    const lines: string[] = [];
    expect(
      await startBroker([], { BATON_CONFIG: join(dir, 'absent.yaml') }, (line) => lines.push(line)),
    ).toEqual({ exitCode: 2 });
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'issuer: [unclosed\n');
    expect(await startBroker([`--config=${broken}`], {}, (line) => lines.push(line))).toEqual({
      exitCode: 2,
    });
    expect(await startBroker([], {}, (line) => lines.push(line))).toEqual({ exitCode: 2 });
    expect(lines[0]).toBe(`${join(dir, 'absent.yaml')}: cannot be read (ENOENT)`);
    expect(lines[1]).toMatch(new RegExp(`^${broken}: is not valid YAML or JSON: `));
    expect(lines[2]).toBe(
      'baton broker: needs a configuration file: pass --config <file> or set BATON_CONFIG',
    );
  });

  it('starts a listener from a good file', async () => {
    const port = await getFreePort();
    const file = join(dir, 'good.json');
    await writeFile(
      file,
      JSON.stringify({
        mode: 'demo',
        issuer: `http://127.0.0.1:${port}`,
        listen: { port },
        database: { type: 'sqlite', path: join(dir, 'good.sqlite') },
      }),
    );
    const result = await startBroker(['--config', file], {}, () => undefined, { logger: false });
    if (!('app' in result)) {
      throw new Error('expected the broker to start');
    }
    try {
      const metadata = (await (
        await fetch(`http://127.0.0.1:${port}/.well-known/oauth-authorization-server`)
      ).json()) as { issuer: string };
      expect(metadata.issuer).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await result.app.close();
    }
  });
});
