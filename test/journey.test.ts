import { calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { hashCompact, TrustStore, verifyChain } from '@baton/chain';
import type { DelegatedTokenClaims, LinkClaims } from '@baton/chain/protocol';
import { IssuedTokenEntity } from '../apps/broker/src/database/issued-token.entity.js';
import { createAgent, decodePayload, type Agent } from '../libs/chain/test/fixtures/federation.js';
import {
  describeEachDatabase,
  getFreePort,
  startBrokerDomain,
  type BrokerDomain,
} from './support/index.js';
import { clientCredentials, exchange, secretAuth, secretClient } from './token-helpers.js';

await describeEachDatabase('three-domain journey A → B → C', (kind) => {
  let a: BrokerDomain;
  let b: BrokerDomain;
  let c: BrokerDomain;
  let agent: Agent;

  beforeAll(async () => {
    const [pa, pb, pc] = await Promise.all([getFreePort(), getFreePort(), getFreePort()]);
    const [ia, ib, ic] = [pa, pb, pc].map((port) => `http://127.0.0.1:${port}`);
    const peer = (
      issuer: string,
      allowedAudiences: string[],
      extra: Record<string, unknown> = {},
    ) => ({
      issuer,
      discover: true,
      allowedScopes: ['read', 'write'],
      allowedAudiences,
      ...extra,
    });
    a = await startBrokerDomain({
      kind,
      issuerPort: pa,
      configOverrides: {
        clients: [secretClient('agent', ['read', 'write', 'admin'])],
        peers: [peer(ib, [ic])],
      },
    });
    b = await startBrokerDomain({
      kind,
      issuerPort: pb,
      configOverrides: {
        clients: [secretClient('agent-b', ['read', 'write'])],
        peers: [peer(ia, [ic]), peer(ic, [])],
      },
    });
    c = await startBrokerDomain({
      kind,
      issuerPort: pc,
      configOverrides: {
        clients: [secretClient('agent-c', ['read'])],
        peers: [peer(ib, []), peer(ia, [], { roles: ['upstream'] })],
      },
    });
    agent = await createAgent();
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close()]);
  });

  it('carries one agent key across three domains, one act level and one link per hop, verifiable at C', async () => {
    const r0 = await clientCredentials(a, secretAuth('agent'), agent, { scope: 'read write' });
    expect(r0.status, JSON.stringify(r0.body)).toBe(200);
    expect(r0.body.token_type).toBe('DPoP');
    expect(r0.headers.get('cache-control')).toBe('no-store');
    expect(r0.headers.get('dpop-nonce')).toBeTruthy();
    const t0 = r0.body.access_token as string;
    const c0 = decodePayload<DelegatedTokenClaims>(t0);
    expect(c0).toMatchObject({
      iss: a.issuer,
      sub: 'agent',
      aud: a.issuer,
      client_id: 'agent',
      scope: 'read write',
    });
    expect(c0.act).toBeUndefined();
    expect(c0.cnf.jkt).toBe(agent.jkt);
    expect(c0.baton.links).toHaveLength(1);
    expect(decodePayload<LinkClaims>(c0.baton.links[0]).sbj).toBeUndefined();

    const r1 = await exchange(a, secretAuth('agent'), agent, t0, { audience: b.issuer });
    expect(r1.status, JSON.stringify(r1.body)).toBe(200);
    expect(r1.body).toMatchObject({
      token_type: 'DPoP',
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      scope: 'read write',
    });
    const t1 = r1.body.access_token as string;
    const c1 = decodePayload<DelegatedTokenClaims>(t1);
    expect(c1).toMatchObject({
      iss: a.issuer,
      sub: 'agent',
      aud: b.issuer,
      act: { iss: a.issuer, sub: 'agent' },
    });
    expect(c1.cnf.jkt).toBe(agent.jkt);
    expect(c1.exp).toBeLessThanOrEqual(c0.exp);
    expect(c1.baton.links.slice(0, 1)).toEqual(c0.baton.links);
    const l1 = decodePayload<LinkClaims>(c1.baton.links[1]);
    expect(l1.prev).toBe(hashCompact(c0.baton.links[0]));
    expect(l1.sbj).toEqual({ iss: a.issuer, jti: c0.jti, hash: hashCompact(t0) });

    const r2 = await exchange(b, secretAuth('agent-b'), agent, t1, { audience: c.issuer });
    expect(r2.status, JSON.stringify(r2.body)).toBe(200);
    const t2 = r2.body.access_token as string;
    const c2 = decodePayload<DelegatedTokenClaims>(t2);
    expect(c2).toMatchObject({ iss: b.issuer, sub: 'agent', aud: c.issuer, client_id: 'agent-b' });
    expect(c2.act).toEqual({ iss: b.issuer, sub: 'agent-b', act: { iss: a.issuer, sub: 'agent' } });
    expect(c2.cnf.jkt).toBe(agent.jkt);
    expect(c2.baton.links).toHaveLength(3);
    expect(c2.baton.links.slice(0, 2)).toEqual(c1.baton.links);

    const trust = new TrustStore({
      issuers: [a, b].map((d) => ({ issuer: d.issuer, keys: { discover: true as const } })),
    });
    const verified = await verifyChain(t2, { trust, audience: c.issuer });
    expect(verified.agentKeyThumbprint).toBe(agent.jkt);
    expect(verified.hops.map((hop) => hop.domain)).toEqual([a.issuer, a.issuer, b.issuer]);
    expect(verified.hops.map((hop) => hop.actor)).toEqual(['agent', 'agent', 'agent-b']);

    // C, a broker too, accepts the chain and extends it inside its own domain.
    const r3 = await exchange(c, secretAuth('agent-c'), agent, t2, { scope: 'read' });
    expect(r3.status, JSON.stringify(r3.body)).toBe(200);
    const c3 = decodePayload<DelegatedTokenClaims>(r3.body.access_token as string);
    expect(c3).toMatchObject({ iss: c.issuer, aud: c.issuer, scope: 'read', sub: 'agent' });
    expect(c3.baton.links).toHaveLength(4);
    expect(c3.act?.act).toEqual(c2.act);
  });

  it('records every issued token with its parent and chain hashes', async () => {
    const r0 = await clientCredentials(a, secretAuth('agent'), agent);
    const t0 = r0.body.access_token as string;
    const r1 = await exchange(a, secretAuth('agent'), agent, t0, {
      audience: b.issuer,
      scope: 'read',
    });
    expect(r1.status).toBe(200);
    const c1 = decodePayload<DelegatedTokenClaims>(r1.body.access_token as string);
    const row = await a.app
      .get(DataSource)
      .getRepository(IssuedTokenEntity)
      .findOneByOrFail({ jti: c1.jti });
    expect(row).toMatchObject({
      parentJti: decodePayload<DelegatedTokenClaims>(t0).jti,
      issuer: a.issuer,
      clientId: 'agent',
      sub: 'agent',
      aud: b.issuer,
      scope: 'read',
      depth: 2,
      exp: c1.exp,
      tokenHash: hashCompact(r1.body.access_token as string),
    });
    expect(JSON.parse(row.chainHashes)).toEqual(c1.baton.links.map(hashCompact));
    expect(JSON.parse(row.links)).toEqual(c1.baton.links);
    expect(await calculateJwkThumbprint(agent.publicJwk)).toBe(c1.cnf.jkt);
  });
});
