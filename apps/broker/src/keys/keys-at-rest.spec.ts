import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import { DataSource } from 'typeorm';
import { expect, it } from 'vitest';
import { createBrokerApp } from '../bootstrap.js';
import type { BrokerConfig } from '../config/broker-config.js';
import {
  describeEachDatabase,
  startBrokerDomain,
  withPostgres,
  type BrokerDomain,
} from '../../../../test/support/index.js';
import { decryptPrivateKey } from './key-encryption.js';
import { KeysService } from './keys.service.js';

async function fetchJwks(url: string): Promise<JSONWebKeySet> {
  return (await (await fetch(`${url}/jwks`)).json()) as JSONWebKeySet;
}

async function rawKeyRows(
  config: BrokerConfig,
): Promise<{ kid: string; private_key: string; protection: string }[]> {
  if (config.database.type === 'postgres') {
    const schema = config.database.schema!;
    return withPostgres((db) =>
      db.query(`SELECT kid, private_key, protection FROM "${schema}".signing_key`),
    );
  }
  const db = new DataSource({ type: 'sqlite', database: config.database.path });
  await db.initialize();
  try {
    return await db.query('SELECT kid, private_key, protection FROM signing_key');
  } finally {
    await db.destroy();
  }
}

await describeEachDatabase('signing keys at rest', (kind) => {
  const kek = randomBytes(32);
  const production = {
    env: { BATON_KEK: kek.toString('base64url') },
    configOverrides: { mode: 'production', keys: { encryptionKeyEnv: 'BATON_KEK' } },
  };

  it('survive a restart: same JWKS, same signing key, tokens from before still verify', async () => {
    const domain = await startBrokerDomain({ kind, ...production });
    let restarted: BrokerDomain | undefined;
    try {
      const before = await fetchJwks(domain.url);
      const key = await domain.app.get(KeysService).getSigningKey();
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: key.alg, kid: key.kid })
        .setIssuer(domain.issuer)
        .setExpirationTime('5m')
        .sign(key.privateKey);
      await domain.app.close();

      restarted = await startBrokerDomain({
        replicaOf: domain,
        listenPort: Number(new URL(domain.url).port),
        env: production.env,
      });
      expect(await fetchJwks(restarted.url)).toEqual(before);
      expect((await restarted.app.get(KeysService).getSigningKey()).kid).toBe(key.kid);
      await expect(
        jwtVerify(token, createLocalJWKSet(await fetchJwks(restarted.url))),
      ).resolves.toBeDefined();
    } finally {
      await restarted?.app.close();
      await domain.database.drop();
    }
  });

  it('stores private keys encrypted under the key-encryption key, bound to their kid', async () => {
    const domain = await startBrokerDomain({ kind, ...production });
    try {
      const [row] = await rawKeyRows(domain.config);
      const [published] = (await fetchJwks(domain.url)).keys;
      expect(row.kid).toBe(published.kid);
      expect(row.protection).toBe('kek');
      expect(row.private_key).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(row.private_key).not.toContain('"d"');
      const plaintext = JSON.parse(decryptPrivateKey(row.private_key, kek, row.kid)) as Record<
        string,
        string
      >;
      expect(plaintext.x).toBe(published.x);
      expect(row.private_key).not.toContain(plaintext.d);
      expect(() => decryptPrivateKey(row.private_key, kek, 'another-kid')).toThrow(
        /authentication failed/,
      );
    } finally {
      await domain.close();
    }
  });

  it('refuses to start with the wrong key-encryption key', async () => {
    const domain = await startBrokerDomain({ kind, ...production });
    try {
      await domain.app.close();
      const wrong = {
        ...domain.config,
        keys: { ...domain.config.keys, encryptionKey: randomBytes(32) },
      };
      await expect(createBrokerApp(wrong, { logger: false })).rejects.toThrow(
        /cannot be decrypted: authentication failed/,
      );
    } finally {
      await domain.database.drop();
    }
  });

  it('in demo mode stores keys under the derived demo key, never in plaintext', async () => {
    const domain = await startBrokerDomain({ kind });
    try {
      const [row] = await rawKeyRows(domain.config);
      expect(row.protection).toBe('demo');
      expect(row.private_key).toMatch(/^v1\./);
      expect(row.private_key).not.toContain('"d"');
    } finally {
      await domain.close();
    }
  });

  it.each([
    ['EdDSA', { kty: 'OKP', crv: 'Ed25519' }],
    ['PS256', { kty: 'RSA' }],
    ['ES384', { kty: 'EC', crv: 'P-384' }],
  ])('signs with %s when configured', async (algorithm, shape) => {
    const domain = await startBrokerDomain({ kind, configOverrides: { keys: { algorithm } } });
    try {
      const jwks = await fetchJwks(domain.url);
      expect(jwks.keys[0]).toMatchObject({ ...shape, alg: algorithm });
      const key = await domain.app.get(KeysService).getSigningKey();
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: key.alg, kid: key.kid })
        .sign(key.privateKey);
      await expect(jwtVerify(token, createLocalJWKSet(jwks))).resolves.toBeDefined();
    } finally {
      await domain.close();
    }
  });
});
