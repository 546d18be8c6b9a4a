import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DataSource, Not, IsNull } from 'typeorm';
import { StatusListClient, TrustStore, verifyChain } from '@baton/chain';
import { IssuedTokenEntity } from '../apps/broker/src/database/issued-token.entity.js';
import { createResourceServerApp } from '../apps/resource-server/src/bootstrap.js';
import { parseResourceServerConfig } from '../apps/resource-server/src/config/parse-resource-server-config.js';
import { createAgent, type Agent } from '../libs/chain/test/fixtures/federation.js';
import { expectChainError } from '../libs/chain/test/support.js';
import {
  describeEachDatabase,
  getFreePort,
  startBrokerDomain,
  type BrokerDomain,
} from './support/index.js';
import { clientCredentials, exchange, secretAuth, secretClient } from './token-helpers.js';
import { publishedStatus, revoke } from './revocation-helpers.js';

// A short status list TTL at A, so "within one TTL" is a short real wait.
const TTL = 2;

await describeEachDatabase(
  'revocation across domains: A revokes, C refuses, B does nothing',
  (kind) => {
    let a: BrokerDomain;
    let b: BrokerDomain;
    let c: BrokerDomain;
    let agent: Agent;
    const partnerApis: { app: INestApplication; url: string }[] = [];

    async function startPartnerApi(statusFailOpenForA: boolean): Promise<string> {
      const port = await getFreePort();
      const url = `http://127.0.0.1:${port}`;
      const config = parseResourceServerConfig(
        {
          audience: c.issuer,
          publicBaseUrl: url,
          listen: { host: '127.0.0.1', port },
          trust: {
            issuers: [
              {
                issuer: a.issuer,
                roles: ['upstream'],
                discover: true,
                statusFailOpen: statusFailOpenForA,
              },
              { issuer: b.issuer, roles: ['upstream'], discover: true },
              { issuer: c.issuer, roles: ['present', 'upstream'], discover: true },
            ],
          },
          dpop: { algorithms: ['ES256'] },
        },
        'test partner API',
      );
      const app = await createResourceServerApp(config, { logger: false });
      await app.listen(port, '127.0.0.1');
      partnerApis.push({ app, url });
      return url;
    }

    beforeAll(async () => {
      const [pa, pb, pc] = await Promise.all([getFreePort(), getFreePort(), getFreePort()]);
      const [ia, ib, ic] = [pa, pb, pc].map((port) => `http://127.0.0.1:${port}`);
      const peer = (
        issuer: string,
        allowedAudiences: string[],
        roles = ['present', 'upstream'],
      ) => ({
        issuer,
        discover: true,
        roles,
        allowedScopes: ['orders:read'],
        allowedAudiences,
      });
      a = await startBrokerDomain({
        kind,
        issuerPort: pa,
        configOverrides: {
          clients: [secretClient('agent', ['orders:read'])],
          peers: [peer(ib, [ic])],
          revocation: { statusListTtlSeconds: TTL },
        },
      });
      b = await startBrokerDomain({
        kind,
        issuerPort: pb,
        configOverrides: {
          clients: [secretClient('agent-b', ['orders:read'])],
          peers: [peer(ia, [ic]), peer(ic, [])],
        },
      });
      c = await startBrokerDomain({
        kind,
        issuerPort: pc,
        configOverrides: {
          clients: [secretClient('agent-c', ['orders:read'])],
          peers: [peer(ib, []), peer(ia, [], ['upstream'])],
        },
      });
      agent = await createAgent();
    });
    afterAll(async () => {
      await Promise.all(partnerApis.map((api) => api.app.close()));
      await Promise.all([a?.close(), b?.close(), c?.close()]);
    });

    /** The journey: T0 at A, A→B, B→C, and C's own token for its partner API. */
    async function journey(): Promise<{ t0: string; t2: string; final: string }> {
      const r0 = await clientCredentials(a, secretAuth('agent'), agent, { scope: 'orders:read' });
      const t0 = r0.body.access_token as string;
      const r1 = await exchange(a, secretAuth('agent'), agent, t0, { audience: b.issuer });
      const r2 = await exchange(b, secretAuth('agent-b'), agent, r1.body.access_token as string, {
        audience: c.issuer,
      });
      const t2 = r2.body.access_token as string;
      const r3 = await exchange(c, secretAuth('agent-c'), agent, t2);
      expect(r3.status, JSON.stringify(r3.body)).toBe(200);
      return { t0, t2, final: r3.body.access_token as string };
    }

    async function callApi(url: string, token: string) {
      const target = `${url}/api/orders`;
      const response = await fetch(target, {
        headers: {
          authorization: `DPoP ${token}`,
          dpop: await agent.proof({ method: 'GET', url: target, accessToken: token }),
        },
      });
      return { status: response.status, challenge: response.headers.get('www-authenticate') ?? '' };
    }

    const revokedAtB = () =>
      b.app
        .get(DataSource)
        .getRepository(IssuedTokenEntity)
        .countBy({ revokedAt: Not(IsNull()) });

    it("revoking the origin at A makes C's partner API refuse C's token within one TTL (ERR_REVOKED)", async () => {
      const api = await startPartnerApi(false);
      const { t0, t2, final } = await journey();
      expect((await callApi(api, final)).status).toBe(200);

      expect((await revoke(a, secretAuth('agent'), t0)).status).toBe(200);
      const revokedAt = Date.now();
      await sleep(TTL * 1000 + 200);
      const refused = await callApi(api, final);
      expect(Date.now() - revokedAt).toBeLessThan(2 * TTL * 1000);
      expect(refused.status).toBe(401);
      expect(refused.challenge).toContain('error="invalid_token"');
      expect(refused.challenge).toContain('has been revoked');

      // The same library, the same lists: the refusal is ERR_REVOKED naming A's origin link.
      const trust = new TrustStore({
        issuers: [a, b, c].map((d) => ({ issuer: d.issuer, keys: { discover: true as const } })),
      });
      const error = await expectChainError(
        () =>
          verifyChain(final, { trust, audience: c.issuer, statusLists: new StatusListClient() }),
        'ERR_REVOKED',
        10,
      );
      expect(error.detail).toMatchObject({ link: 0, issuer: a.issuer });

      // C's broker refuses to extend it; B was never told and changed nothing.
      const again = await exchange(c, secretAuth('agent-c'), agent, t2);
      expect(again.body.error_description).toMatch(
        new RegExp(`^subject_token has been revoked: link revoked \\(link 0, issuer ${a.issuer}`),
      );
      expect(await revokedAtB()).toBe(0);
      expect(await publishedStatus(t2)).toBe(0);
    });

    it('an unreachable status list at A: refused where A fails closed (partner API, C broker), accepted where A is fail-open', async () => {
      const closed = await startPartnerApi(false);
      const open = await startPartnerApi(true);
      const { t2, final } = await journey();
      expect((await callApi(closed, final)).status).toBe(200);
      expect((await callApi(open, final)).status).toBe(200);
      await a.app.close();
      await sleep(TTL * 1000 + 200);
      const refused = await callApi(closed, final);
      expect(refused.status).toBe(401);
      expect(refused.challenge).toContain('cannot be checked');
      expect((await callApi(open, final)).status).toBe(200);
      // C's broker fails closed for A too (its revocation.failOpenIssuers is empty).
      const extend = await exchange(c, secretAuth('agent-c'), agent, t2);
      expect(extend.body.error).toBe('invalid_grant');
      expect(extend.body.error_description).toMatch(
        /^subject_token has a link whose revocation status cannot be checked/,
      );
    });
  },
);
