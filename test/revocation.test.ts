import { afterAll, beforeAll, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { decodeProtectedHeader } from 'jose';
import type { DelegatedTokenClaims, LinkClaims } from '@baton/chain/protocol';
import { AuditEventEntity } from '../apps/broker/src/audit/audit-event.entity.js';
import { IssuedTokenEntity } from '../apps/broker/src/database/issued-token.entity.js';
import { StatusListEntity } from '../apps/broker/src/revocation/status-list.entity.js';
import { STATUS_SLOT_BLOCK } from '../apps/broker/src/revocation/status-index.allocator.js';
import { createAgent, decodePayload, type Agent } from '../libs/chain/test/fixtures/federation.js';
import { verifyLogOf } from './audit/audit-support.js';
import { describeEachDatabase, startBrokerDomain, type BrokerDomain } from './support/index.js';
import { clientCredentials, exchange, secretAuth, secretClient } from './token-helpers.js';
import {
  ADMIN_SECRET,
  adminRevoke,
  introspect,
  publishedStatus,
  revoke,
} from './revocation-helpers.js';

await describeEachDatabase(
  'revocation at one domain (RFC 7009, cascade, administrator, RFC 7662)',
  (kind) => {
    let a: BrokerDomain;
    let agent: Agent;

    beforeAll(async () => {
      a = await startBrokerDomain({
        kind,
        configOverrides: {
          clients: [
            secretClient('agent', ['read', 'write']),
            secretClient('other', ['read', 'write']),
            { ...secretClient('rs', []), grantTypes: [] },
          ],
          revocation: { introspectionClients: ['rs'], adminSecret: ADMIN_SECRET },
        },
      });
      agent = await createAgent();
    });
    afterAll(() => a?.close());

    async function origin(clientId = 'agent', who = agent): Promise<string> {
      const r = await clientCredentials(a, secretAuth(clientId), who, { scope: 'read write' });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.access_token as string;
    }

    async function derive(token: string, clientId = 'agent', who = agent): Promise<string> {
      const r = await exchange(a, secretAuth(clientId), who, token);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.access_token as string;
    }

    const jtiOf = (token: string) => decodePayload<DelegatedTokenClaims>(token).jti;

    async function revokedAt(token: string): Promise<number | null> {
      const row = await a.app
        .get(DataSource)
        .getRepository(IssuedTokenEntity)
        .findOneByOrFail({ jti: jtiOf(token) });
      return row.revokedAt;
    }

    it('gives every link a status slot, unique and not sequential, named in the signed link', async () => {
      const tokens = await Promise.all([origin(), origin(), origin(), origin()]);
      const references = tokens.map((t) => {
        const links = decodePayload<DelegatedTokenClaims>(t).baton.links;
        return decodePayload<LinkClaims>(links[0]).status!.status_list;
      });
      expect(references.every((r) => r.uri === `${a.issuer}/status-lists/1`)).toBe(true);
      const indexes = references.map((r) => r.idx);
      expect(new Set(indexes).size).toBe(4);
      expect(indexes.every((idx) => Number.isInteger(idx) && idx >= 0 && idx < 65536)).toBe(true);
      expect([...indexes].sort((x, y) => x - y)).not.toEqual([0, 1, 2, 3]);
      const response = await fetch(references[0].uri);
      expect(response.headers.get('content-type')).toMatch(/^application\/statuslist\+jwt/);
      const list = await response.text();
      expect(decodeProtectedHeader(list).typ).toBe('statuslist+jwt');
      expect(decodePayload(list)).toMatchObject({
        sub: references[0].uri,
        iss: a.issuer,
        ttl: 300,
      });
      expect((await fetch(`${a.url}/status-lists/999`)).status).toBe(404);
    });

    it('RFC 7009: a client revokes its own token; exchanging it is refused and its list says INVALID', async () => {
      const t0 = await origin();
      expect(await publishedStatus(t0)).toBe(0);
      const r = await revoke(a, secretAuth('agent'), t0);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(await revokedAt(t0)).not.toBeNull();
      expect(await publishedStatus(t0)).toBe(1);
      const refused = await exchange(a, secretAuth('agent'), agent, t0);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringMatching(
          /^subject_token has been revoked: link revoked \(link 0,/,
        ) as unknown,
      });
    });

    it("RFC 7009 §2.1: another client's token is refused and stays valid", async () => {
      const t0 = await origin();
      const r = await revoke(a, secretAuth('other'), t0);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid_grant');
      expect(await revokedAt(t0)).toBeNull();
      expect(await publishedStatus(t0)).toBe(0);
      expect((await exchange(a, secretAuth('agent'), agent, t0)).status).toBe(200);
    });

    it('RFC 7009 §2.2: an unknown or invalid token is answered 200 and changes nothing', async () => {
      const t0 = await origin();
      const foreign = t0.slice(0, -4) + 'AAAA';
      for (const token of ['not-a-token', foreign]) {
        const r = await revoke(a, secretAuth('agent'), token);
        expect(r.status).toBe(200);
      }
      expect(await revokedAt(t0)).toBeNull();
    });

    it('RFC 7009 §2.1: bad or missing client credentials are 401 invalid_client; no token is 400', async () => {
      const t0 = await origin();
      const wrong = await revoke(a, secretAuth('agent', 'wrong-secret-0123456789'), t0);
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('invalid_client');
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
      const none = await revoke(a, {}, t0);
      expect(none.status).toBe(401);
      expect(await revokedAt(t0)).toBeNull();
      const missing = await revoke(a, secretAuth('agent'));
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe('invalid_request');
    });

    it('cascade: revoking an origin token revokes every token derived from it here, transitively', async () => {
      const t0 = await origin();
      const t1 = await derive(t0);
      const t2 = await derive(t1);
      const sibling = await derive(t0);
      const unrelated = await origin();
      expect((await revoke(a, secretAuth('agent'), t0)).status).toBe(200);
      for (const token of [t0, t1, t2, sibling]) {
        expect(await revokedAt(token)).not.toBeNull();
        expect(await publishedStatus(token)).toBe(1);
      }
      expect(await revokedAt(unrelated)).toBeNull();
      const refused = await exchange(a, secretAuth('agent'), agent, t2);
      expect(refused.body.error_description).toMatch(/^subject_token has been revoked: .*link 0/);
      // Each revoked token has its audit event, written in the revoking transaction.
      const events = await a.app
        .get(DataSource)
        .getRepository(AuditEventEntity)
        .find({ where: { kind: 'token.revoked' } });
      const byJti = new Map(events.map((event) => [event.jti, event]));
      expect(byJti.get(jtiOf(t0))).toMatchObject({ clientId: 'agent', parentJti: null });
      for (const [token, parent] of [
        [t1, t0],
        [t2, t1],
        [sibling, t0],
      ]) {
        expect(byJti.get(jtiOf(token))).toMatchObject({
          issuer: a.issuer,
          parentIssuer: a.issuer,
          parentJti: jtiOf(parent),
        });
      }
      expect(byJti.has(jtiOf(unrelated))).toBe(false);
      expect(await verifyLogOf(a)).toMatchObject({ valid: true });
    });

    it('administrator: revokes by agent key thumbprint, by client, by (iss, jti); refuses without the secret', async () => {
      const leaked = await createAgent();
      const held = [await origin('agent', leaked), await origin('other', leaked)];
      const derived = await derive(held[0], 'agent', leaked);
      const bystander = await origin();
      expect((await adminRevoke(a, { cnf_jkt: leaked.jkt }, null)).status).toBe(401);
      const wrong = await adminRevoke(a, { cnf_jkt: leaked.jkt }, 'x'.repeat(40));
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(await revokedAt(held[0])).toBeNull();
      const r = await adminRevoke(a, { cnf_jkt: leaked.jkt });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(new Set(r.body.revoked as string[])).toEqual(new Set([...held, derived].map(jtiOf)));
      expect(await revokedAt(bystander)).toBeNull();

      const byToken = await adminRevoke(a, { iss: a.issuer, jti: jtiOf(bystander) });
      expect(byToken.body.revoked).toEqual([jtiOf(bystander)]);

      const others = await origin('other');
      const byClient = await adminRevoke(a, { client_id: 'other' });
      expect(byClient.body.revoked).toContain(jtiOf(others));
      expect(await revokedAt(others)).not.toBeNull();

      for (const body of [{}, { sub: 'x', client_id: 'y' }, { jti: 'only' }, { sub: 7 }, []]) {
        const bad = await adminRevoke(a, body);
        expect(bad.status, JSON.stringify(body)).toBe(400);
        expect(bad.body.error).toBe('invalid_request');
      }
    });

    it('RFC 7662: a live token is active with its chain summary; revoked or unknown ones are not', async () => {
      const t0 = await origin();
      const t1 = await derive(t0);
      const live = await introspect(a, secretAuth('rs'), t1);
      expect(live.status, JSON.stringify(live.body)).toBe(200);
      expect(live.headers.get('cache-control')).toBe('no-store');
      const claims = decodePayload<DelegatedTokenClaims>(t1);
      expect(live.body).toMatchObject({
        active: true,
        iss: a.issuer,
        sub: 'agent',
        client_id: 'agent',
        scope: 'read write',
        jti: claims.jti,
        exp: claims.exp,
        token_type: 'DPoP',
        cnf: { jkt: agent.jkt },
        act: { iss: a.issuer, sub: 'agent' },
        baton_chain: {
          depth: 2,
          origin_issuer: a.issuer,
          hops: [
            { iss: a.issuer, client_id: 'agent', jti: jtiOf(t0) },
            { iss: a.issuer, client_id: 'agent', jti: claims.jti },
          ],
        },
      });
      expect(await revoke(a, secretAuth('agent'), t0)).toMatchObject({ status: 200 });
      expect((await introspect(a, secretAuth('rs'), t1)).body).toEqual({ active: false });
      expect((await introspect(a, secretAuth('rs'), t0)).body).toEqual({ active: false });
      expect((await introspect(a, secretAuth('rs'), 'garbage')).body).toEqual({ active: false });
    });

    it('RFC 7662 §2.1: an unauthenticated caller, or a client that is not a resource server, is refused', async () => {
      const t0 = await origin();
      const none = await introspect(a, {}, t0);
      expect(none.status).toBe(401);
      expect(none.body.error).toBe('invalid_client');
      expect(none.body).not.toHaveProperty('active');
      const agentAsks = await introspect(a, secretAuth('agent'), t0);
      expect(agentAsks.status).toBe(401);
      expect(agentAsks.body).not.toHaveProperty('active');
    });

    it('opens the next status list when one is full', async () => {
      const lists = a.app.get(DataSource).getRepository(StatusListEntity);
      const [current] = await lists.find({ order: { id: 'DESC' }, take: 1 });
      await lists.update({ id: current.id }, { allocated: current.size - 1 });
      const uriOf = (token: string) => {
        const links = decodePayload<DelegatedTokenClaims>(token).baton.links;
        return decodePayload<LinkClaims>(links[0]).status!.status_list.uri;
      };
      // Tokens first use up the block this broker reserved before the list was filled, then the
      // list's one remaining slot; the token after that opens the next list.
      const tokens = [await origin()];
      while (uriOf(tokens[tokens.length - 1]) === uriOf(tokens[0])) {
        expect(tokens.length).toBeLessThanOrEqual(STATUS_SLOT_BLOCK + 1);
        tokens.push(await origin());
      }
      const [last, next] = tokens.slice(-2);
      expect(uriOf(last)).toBe(`${a.issuer}/status-lists/${current.id}`);
      expect(uriOf(next)).toBe(`${a.issuer}/status-lists/${current.id + 1}`);
      expect((await lists.findOneByOrFail({ id: current.id })).allocated).toBe(current.size);
      expect(await revoke(a, secretAuth('agent'), next)).toMatchObject({ status: 200 });
      expect(await publishedStatus(next)).toBe(1);
      expect(await publishedStatus(last)).toBe(0);
    });
  },
);
