import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../../libs/chain/test/fixtures/federation.js';
import { startBrokerDomain, type BrokerDomain } from '../../../../test/support/index.js';
import { postToken, proofFor } from '../../../../test/token-helpers.js';
import { clientSecretCommand } from './client-secret-command.js';
import { verifyClientSecret } from './client-secret.js';

function parse(output: string): { secret: string; entry: Record<string, unknown> } {
  const lines = output.split('\n');
  const secret = lines[1].replace(/^#\s+/, '');
  const [entry] = parseYaml(lines.filter((line) => !line.startsWith('#')).join('\n')) as Record<
    string,
    unknown
  >[];
  return { secret, entry };
}

describe('npm run secret', () => {
  let domain: BrokerDomain;
  let generated: { secret: string; entry: Record<string, unknown> };

  beforeAll(async () => {
    generated = parse(clientSecretCommand(['partner-service']));
    domain = await startBrokerDomain({
      configOverrides: {
        mode: 'production',
        keys: { encryptionKeyEnv: 'KEK' },
        clients: [{ ...generated.entry, scopes: ['orders:read'] }],
      },
      env: { KEK: 'k'.repeat(43) },
    });
  });
  afterAll(() => domain?.close());

  it('prints a 256-bit secret and a clients: entry holding only its hash', async () => {
    expect(generated.secret).toMatch(/^baton_cs_[A-Za-z0-9_-]{43}$/);
    // A generated secret has 256 bits of entropy: a SHA-256 hash, no scrypt work factor.
    expect(generated.entry).toMatchObject({
      clientId: 'partner-service',
      authMethod: 'client_secret_basic',
      secretHash: expect.stringMatching(/^sha256:/) as unknown,
    });
    expect(JSON.stringify(generated.entry)).not.toContain(generated.secret);
    expect(await verifyClientSecret(generated.entry.secretHash as string, generated.secret)).toBe(
      true,
    );
    expect(parse(clientSecretCommand([])).secret).not.toBe(generated.secret);
  });

  it('gives a secret a production broker accepts from that entry, and nothing else', async () => {
    const agent = await createAgent();
    const request = async (secret: string) =>
      postToken(
        domain.url,
        { grant_type: 'client_credentials' },
        {
          dpop: await proofFor(agent, domain.issuer),
          headers: {
            authorization: `Basic ${Buffer.from(`partner-service:${secret}`).toString('base64')}`,
          },
        },
      );
    const ok = await request(generated.secret);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await request(`${generated.secret}x`)).status).toBe(401);
  });

  it('refuses a malformed client id or extra arguments with its usage', () => {
    expect(() => clientSecretCommand(['two words'])).toThrow(/^Usage: npm run secret/);
    expect(() => clientSecretCommand(['a', 'b'])).toThrow(/^Usage/);
    expect(() => clientSecretCommand(['--help'])).toThrow(/^Usage/);
  });

  it.skipIf(!existsSync(join(process.cwd(), 'dist/apps/broker/src/secret.js')))(
    'runs as the built script',
    async () => {
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [join(process.cwd(), 'dist/apps/broker/src/secret.js'), 'svc'],
          (error, stdout) => (error === null ? resolve(stdout) : reject(new Error(error.message))),
        ),
      );
      expect(parse(output).entry).toMatchObject({ clientId: 'svc' });
    },
  );
});
