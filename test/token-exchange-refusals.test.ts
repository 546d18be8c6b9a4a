import { randomUUID } from 'node:crypto';
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DelegatedTokenClaims } from '@baton/chain/protocol';
import { KeysService } from '../apps/broker/src/keys/keys.service.js';
import {
  createAgent,
  createDomainKey,
  createFederation,
  decodePayload,
  replacePayload,
  signAs,
  type Agent,
  type DomainKey,
} from '../libs/chain/test/fixtures/federation.js';
import { getFreePort, ManualClock, startBrokerDomain, type BrokerDomain } from './support/index.js';
import {
  clientCredentials,
  exchange,
  postToken,
  proofFor,
  secretAuth,
  secretClient,
  expectError,
} from './token-helpers.js';

const PARTNER_API = 'https://api.partner.example';
const IDP = 'https://idp.example';

async function domainKeyOf(domain: BrokerDomain): Promise<DomainKey> {
  const keys = domain.app.get(KeysService);
  const key = await keys.getSigningKey();
  const publicJwk = (await keys.getPublishedJwks()).keys.find((jwk) => jwk.kid === key.kid)!;
  return { key, publicJwk };
}

describe('token exchange refusals', () => {
  let a: BrokerDomain;
  let b: BrokerDomain;
  let agent: Agent;
  let idp: DomainKey;
  const agentAtA = secretAuth('agent');
  const agentAtB = secretAuth('agent-b');

  beforeAll(async () => {
    const [pa, pb] = await Promise.all([getFreePort(), getFreePort()]);
    const [ia, ib] = [pa, pb].map((port) => `http://127.0.0.1:${port}`);
    idp = await createDomainKey();
    a = await startBrokerDomain({
      issuerPort: pa,
      configOverrides: {
        clients: [secretClient('agent', ['read', 'write'])],
        peers: [
          { issuer: ib, discover: true, allowedScopes: ['read', 'write'], allowedAudiences: [] },
        ],
        externalIssuers: [
          { issuer: IDP, jwks: { keys: [idp.publicJwk] }, allowedScopes: ['read'] },
        ],
        policy: { maxChainDepth: 3 },
      },
    });
    b = await startBrokerDomain({
      issuerPort: pb,
      configOverrides: {
        clients: [secretClient('agent-b', ['read', 'write'])],
        peers: [
          {
            issuer: ia,
            discover: true,
            allowedScopes: ['read', 'write'],
            allowedAudiences: [ia],
            maxChainDepth: 3,
          },
        ],
        policy: { audiences: [PARTNER_API] },
      },
    });
    agent = await createAgent();
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  async function originToken(extra: Record<string, string> = {}): Promise<string> {
    const answer = await clientCredentials(a, agentAtA, agent, extra);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.access_token as string;
  }

  async function tokenForB(): Promise<string> {
    const answer = await exchange(a, agentAtA, agent, await originToken(), { audience: b.issuer });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.access_token as string;
  }

  it('refuses a subject token from an untrusted issuer', async () => {
    const fed = await createFederation({ domains: ['rogue'], agent });
    const chain = await fed.issueChain({ audience: a.issuer });
    expectError(await exchange(a, agentAtA, agent, chain.token), 'invalid_grant', {
      description: /does not trust/,
    });
  });

  it('refuses a subject token whose aud is another domain', async () => {
    const forB = await originToken({ audience: b.issuer });
    expectError(await exchange(a, agentAtA, agent, forB), 'invalid_grant', {
      description: /not intended for this domain/,
    });
  });

  it('refuses a tampered subject token', async () => {
    const widened = replacePayload<DelegatedTokenClaims>(await originToken(), (claims) => {
      claims.scope = 'read write admin';
    });
    expectError(await exchange(a, agentAtA, agent, widened), 'invalid_grant', {
      description: /signature/,
    });
  });

  it('refuses subject tokens signed with alg none or HS256', async () => {
    const claims = decodePayload<DelegatedTokenClaims>(await originToken());
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${base64url.encode(JSON.stringify(claims))}.`;
    expectError(await exchange(a, agentAtA, agent, unsigned), 'invalid_grant');
    const hmac = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: (await domainKeyOf(a)).key.kid })
      .sign(new TextEncoder().encode('0123456789abcdef0123456789abcdef'));
    expectError(await exchange(a, agentAtA, agent, hmac), 'invalid_grant');
  });

  it('refuses a requested scope wider than the subject token', async () => {
    const readOnly = await originToken({ scope: 'read' });
    expectError(
      await exchange(a, agentAtA, agent, readOnly, { scope: 'read write' }),
      'invalid_scope',
      { description: /subject token's scope/ },
    );
  });

  it('refuses an audience the presenting peer may not send its chains to', async () => {
    expectError(
      await exchange(b, agentAtB, agent, await tokenForB(), { audience: PARTNER_API }),
      'invalid_target',
      { description: /presenting peer/ },
    );
  });

  it('refuses a chain over the domain depth limit (the new link counts)', async () => {
    let token = await originToken();
    for (let depth = 2; depth <= 3; depth += 1) {
      const answer = await exchange(a, agentAtA, agent, token);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      token = answer.body.access_token as string;
    }
    expectError(await exchange(a, agentAtA, agent, token), 'invalid_grant', {
      description: /maximum depth of 3/,
    });
  });

  it('refuses a chain over the per-peer depth limit', async () => {
    const atA = await exchange(a, agentAtA, agent, await originToken());
    const deeper = await exchange(a, agentAtA, agent, atA.body.access_token as string, {
      audience: b.issuer,
    });
    expect(deeper.status, JSON.stringify(deeper.body)).toBe(200);
    expectError(
      await exchange(b, agentAtB, agent, deeper.body.access_token as string),
      'invalid_grant',
      { description: /maximum depth of 3/ },
    );
  });

  it('refuses to send a chain back to a domain it already visited (A → B → A)', async () => {
    expectError(
      await exchange(b, agentAtB, agent, await tokenForB(), { audience: a.issuer }),
      'invalid_target',
      { description: /appear twice/ },
    );
  });

  it('refuses a chain presented to a domain it already visited', async () => {
    const fed = await createFederation({
      domains: ['a', 'b'],
      issuers: { a: a.issuer, b: b.issuer },
      keys: { a: await domainKeyOf(a), b: await domainKeyOf(b) },
      agent,
    });
    const chain = await fed.issueChain({ path: ['a', 'b'], audience: a.issuer, scope: 'read' });
    expectError(await exchange(a, agentAtA, agent, chain.token), 'invalid_grant', {
      description: /appear twice/,
    });
  });

  it('refuses a subject whose sub its record could not keep, even one a trusted domain signed', async () => {
    // B is trusted by A; here B has gone rogue and signs what it likes.
    const rogue = await createFederation({
      domains: ['b'],
      issuers: { b: b.issuer },
      keys: { b: await domainKeyOf(b) },
      agent,
    });
    const from = (spec: { subject: string }) =>
      rogue.issueChain({ path: ['b'], audience: a.issuer, scope: 'read', subject: spec.subject });
    for (const subject of ['agent\u0000admin', 'agent\nadmin', 'x'.repeat(1025)]) {
      const chain = await from({ subject });
      expectError(await exchange(a, agentAtA, agent, chain.token), 'invalid_grant', {
        description: /sub is longer than 1024 characters or holds a control character/,
      });
    }
    expect(
      (await exchange(a, agentAtA, agent, (await from({ subject: 'x'.repeat(1024) })).token))
        .status,
    ).toBe(200);
  });

  it('refuses malformed exchange parameters', async () => {
    const t0 = await originToken();
    expectError(
      await exchange(a, agentAtA, agent, t0, {
        subject_token_type: 'urn:ietf:params:oauth:token-type:saml2',
      }),
      'invalid_request',
    );
    expectError(
      await exchange(a, agentAtA, agent, t0, {
        actor_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      }),
      'invalid_request',
    );
    expectError(
      await exchange(a, agentAtA, agent, t0, {
        requested_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      }),
      'invalid_request',
    );
    expectError(
      await exchange(a, agentAtA, agent, t0, {
        audience: b.issuer,
        resource: 'https://other.example/',
      }),
      'invalid_target',
    );
  });

  describe('a user token from a trusted IdP as subject, the agent token as actor', () => {
    async function userToken(mayAct: unknown): Promise<string> {
      const user = await createAgent();
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: IDP,
        sub: 'alice',
        aud: a.issuer,
        client_id: 'portal',
        scope: 'read write',
        iat: now,
        exp: now + 300,
        jti: randomUUID(),
        cnf: { jkt: user.jkt },
      };
      return signAs(
        mayAct === undefined ? claims : { ...claims, may_act: mayAct },
        'at+jwt',
        idp.key,
      );
    }
    const withActor = (actor: string) => ({
      actor_token: actor,
      actor_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    });

    it('issues sub = the user, act = the agent, cnf = the agent key when may_act names the agent', async () => {
      const answer = await exchange(
        a,
        agentAtA,
        agent,
        await userToken({ sub: 'agent', iss: a.issuer }),
        withActor(await originToken()),
      );
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const claims = decodePayload<DelegatedTokenClaims>(answer.body.access_token as string);
      expect(claims).toMatchObject({
        sub: 'alice',
        scope: 'read',
        act: { iss: a.issuer, sub: 'agent' },
        cnf: { jkt: agent.jkt },
      });
      expect(claims.baton.links).toHaveLength(1);
    });

    it('refuses when may_act is absent or names another actor', async () => {
      expectError(
        await exchange(
          a,
          agentAtA,
          agent,
          await userToken(undefined),
          withActor(await originToken()),
        ),
        'invalid_grant',
        { description: /may_act/ },
      );
      expectError(
        await exchange(
          a,
          agentAtA,
          agent,
          await userToken({ sub: 'someone-else' }),
          withActor(await originToken()),
        ),
        'invalid_grant',
        { description: /may_act/ },
      );
    });

    it('refuses an actor token bound to another key than the proof', async () => {
      const other = await createAgent();
      const otherToken = (await clientCredentials(a, agentAtA, other)).body.access_token as string;
      expectError(
        await exchange(
          a,
          agentAtA,
          agent,
          await userToken({ sub: 'agent' }),
          withActor(otherToken),
        ),
        'invalid_grant',
        { description: /actor token is bound/ },
      );
    });
  });
});

describe('token exchange of an expired subject token', () => {
  it('refuses it with invalid_grant', async () => {
    const clock = new ManualClock();
    const e = await startBrokerDomain({
      clock,
      configOverrides: { clients: [secretClient('agent', ['read'])] },
    });
    try {
      const agent = await createAgent();
      const t0 = (
        await postToken(
          e.url,
          { grant_type: 'client_credentials', ...secretAuth('agent') },
          { dpop: await proofFor(agent, e.issuer, { iat: clock.seconds() }) },
        )
      ).body.access_token as string;
      clock.advance(3600);
      const answer = await exchange(
        e,
        secretAuth('agent'),
        agent,
        t0,
        {},
        await proofFor(agent, e.issuer, { iat: clock.seconds() }),
      );
      expectError(answer, 'invalid_grant', { description: /expired/ });
    } finally {
      await e.close();
    }
  });
});
