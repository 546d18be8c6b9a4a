import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type Agent } from '../../libs/chain/test/fixtures/federation.js';
import { createBrokerApp } from '../../apps/broker/src/bootstrap.js';
import { KeysService } from '../../apps/broker/src/keys/keys.service.js';
import {
  databaseKinds,
  ManualClock,
  startBrokerDomain,
  type BrokerDomain,
} from '../support/index.js';
import { GRANT_TYPE_CLIENT_CREDENTIALS } from '@baton/chain/protocol';
import { postToken, proofFor, secretAuth, secretClient } from '../token-helpers.js';
import { committedRows, getJson } from './fault-helpers.js';

const INTERVAL = 3600;
const PRE_PUBLISH = 600;
const goodKek = randomBytes(32);

// Issue 8 §1: a replica started with the wrong KEK while a rotation is due. The replica shares
// PostgreSQL (replicas need it); with SQLite the same check runs on a restart.
describe.each(await databaseKinds())(
  'fault: wrong key-encryption key, rotation due [%s]',
  (kind) => {
    let good: BrokerDomain;
    let agent: Agent;
    const clock = new ManualClock(Date.now());

    beforeAll(async () => {
      good = await startBrokerDomain({
        kind,
        clock,
        env: { BATON_KEK: goodKek.toString('base64url') },
        configOverrides: {
          keys: {
            encryptionKeyEnv: 'BATON_KEK',
            rotationIntervalSeconds: INTERVAL,
            prePublishSeconds: PRE_PUBLISH,
          },
          clients: [secretClient('agent', ['read'])],
        },
      });
      agent = await createAgent();
    });
    afterAll(() => good?.close());

    it('writes nothing, refuses to start, and the good replica keeps issuing with honest readiness', async () => {
      clock.advance(INTERVAL - PRE_PUBLISH + 1);
      const before = await committedRows(
        good,
        'SELECT kid, retires_at, expires_at FROM signing_key ORDER BY kid',
      );
      const locksBefore = await committedRows(
        good,
        'SELECT name, acquired_at FROM baton_lock ORDER BY name',
      );
      const wrong = {
        ...good.config,
        keys: { ...good.config.keys, encryptionKey: randomBytes(32) },
      };
      if (kind === 'sqlite') {
        // One process per SQLite file: the wrong replica is a restart of this one.
        await good.app.close();
      }
      await expect(createBrokerApp(wrong, { clock, logger: false })).rejects.toThrow(
        /no stored signing key decrypts, refusing to start/,
      );
      expect(
        await committedRows(
          good,
          'SELECT kid, retires_at, expires_at FROM signing_key ORDER BY kid',
        ),
      ).toEqual(before);
      expect(
        await committedRows(good, 'SELECT name, acquired_at FROM baton_lock ORDER BY name'),
      ).toEqual(locksBefore);
      if (kind === 'sqlite') {
        good = await startBrokerDomain({
          replicaOf: good,
          listenPort: Number(new URL(good.url).port),
          env: { BATON_KEK: goodKek.toString('base64url') },
        });
      }
      // Past the activation the wrong replica would have scheduled: the good one still signs.
      clock.advance(PRE_PUBLISH + 1);
      await good.app.get(KeysService).refresh();
      for (let i = 0; i < 3; i++) {
        const answer = await postToken(
          good.url,
          { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, ...secretAuth('agent') },
          { dpop: await proofFor(agent, good.issuer, { iat: clock.seconds() }) },
        );
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      }
      const ready = await getJson(`${good.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ info: { signing: { status: 'up' } } });
    });

    it('readiness fails while the active key cannot sign, and recovers', async () => {
      const keys = good.app.get(KeysService);
      // Every stored key becomes unusable to this replica, as if written under another KEK.
      const unusable = keys as unknown as { unusable: Set<string>; imported: Map<string, unknown> };
      const kids = (await committedRows(good, 'SELECT kid FROM signing_key')).map((row) =>
        String(row.kid),
      );
      for (const kid of kids) {
        unusable.unusable.add(kid);
      }
      unusable.imported.clear();
      const ready = await getJson(`${good.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ error: { signing: { status: 'down' } } });
      for (const kid of kids) {
        unusable.unusable.delete(kid);
      }
      expect((await getJson(`${good.url}/health/ready`)).status).toBe(200);
    });
  },
);
