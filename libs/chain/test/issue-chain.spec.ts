import { randomUUID } from 'node:crypto';
import { compactVerify, importJWK, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '@baton/chain';
import {
  extendChain,
  originChain,
  signDelegatedToken,
  signLink,
  type ChainHop,
} from '@baton/chain/issue';
import { createFederation, type Domain, type Federation } from './fixtures/federation.js';
import { expectChainError } from './support.js';

let fed: Federation;
const NOW = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  fed = await createFederation();
});

async function hop(domain: Domain, aud: string, scope = 'read'): Promise<ChainHop> {
  return {
    iss: domain.issuer,
    sub: 'user-1',
    aud,
    client_id: `agent@${domain.name}`,
    scope,
    iat: NOW,
    exp: NOW + 300,
    jti: randomUUID(),
    jkt: fed.agent.jkt,
    dpop: await fed.agent.proof({ method: 'POST', url: domain.tokenEndpoint, iat: NOW }),
  };
}

describe('originChain and extendChain issue what verifyChain accepts', () => {
  it('builds a three-domain chain with prev, sbj and nested act by construction', async () => {
    const { a, b, c } = fed.domains;
    const first = await originChain(await hop(a, b.issuer), a.key);
    const atB = await verifyChain(first.token, fed.verifyOptions({ audience: b.issuer, now: NOW }));
    const second = await extendChain(atB, await hop(b, c.issuer), b.key);
    const atC = await verifyChain(
      second.token,
      fed.verifyOptions({ audience: c.issuer, now: NOW }),
    );
    const third = await extendChain(atC, await hop(c, fed.resource), c.key);

    const verified = await verifyChain(third.token, fed.verifyOptions({ now: NOW }));
    expect(verified.kind).toBe('chained');
    expect(verified.linkHashes).toEqual(third.linkHashes);
    expect(verified.tokenHash).toBe(third.tokenHash);
    expect(third.link.prev).toBe(second.linkHashes[1]);
    expect(third.link.sbj).toEqual({
      iss: b.issuer,
      jti: second.claims.jti,
      hash: second.tokenHash,
    });
    expect(verified.kind === 'chained' ? verified.claims.act : undefined).toEqual({
      iss: c.issuer,
      sub: 'agent@c',
      act: { iss: b.issuer, sub: 'agent@b' },
    });
  });

  it('refuses to extend a chain past maxDepth', async () => {
    const { a, b } = fed.domains;
    const first = await originChain(await hop(a, b.issuer), a.key);
    const atB = await verifyChain(first.token, fed.verifyOptions({ audience: b.issuer, now: NOW }));
    await expectChainError(
      async () => extendChain(atB, await hop(b, fed.resource), b.key, { maxDepth: 1 }),
      'ERR_DEPTH',
      8,
    );
  });

  it('refuses to extend a chain back into a domain it left', async () => {
    const { a, b } = fed.domains;
    const first = await originChain(await hop(a, b.issuer), a.key);
    const atB = await verifyChain(first.token, fed.verifyOptions({ audience: b.issuer, now: NOW }));
    const second = await extendChain(atB, await hop(b, a.issuer), b.key);
    const atA = await verifyChain(
      second.token,
      fed.verifyOptions({ audience: a.issuer, now: NOW }),
    );
    await expectChainError(
      async () => extendChain(atA, await hop(a, fed.resource), a.key),
      'ERR_DOMAIN_REPEATED',
      8,
    );
  });

  it('issues a token of exactly maxTokenBytes and refuses one byte less', async () => {
    const { a } = fed.domains;
    const claims = await hop(a, fed.resource);
    const { token } = await originChain(claims, a.key);
    await expect(
      originChain(claims, a.key, { maxTokenBytes: token.length }),
    ).resolves.toBeDefined();
    const error = await expectChainError(
      () => originChain(claims, a.key, { maxTokenBytes: token.length - 1 }),
      'ERR_MALFORMED',
    );
    expect(error.detail.claim).toBe('size');
  });
});

describe('signLink and signDelegatedToken sign what jose’s SignJWT would', () => {
  it('the same protected header and payload, and a signature the domain key verifies', async () => {
    const { a, b } = fed.domains;
    const { link, claims } = await originChain(await hop(a, b.issuer), a.key);
    for (const [signed, typ, payload] of [
      [await signLink(link, a.key), 'baton-link+jwt', link],
      [await signDelegatedToken(claims, a.key), 'at+jwt', claims],
    ] as const) {
      const reference = await new SignJWT(payload as unknown as JWTPayload)
        .setProtectedHeader({ alg: a.key.alg, typ, kid: a.key.kid })
        .sign(a.key.privateKey);
      const [header, body] = signed.split('.');
      expect(`${header}.${body}`).toBe(reference.split('.').slice(0, 2).join('.'));
      await expect(
        compactVerify(signed, await importJWK(a.publicJwk, a.key.alg)),
      ).resolves.toBeDefined();
    }
  });

  it('refuses, as SignJWT does, a time claim JSON cannot carry', async () => {
    const { a, b } = fed.domains;
    const { link } = await originChain(await hop(a, b.issuer), a.key);
    for (const exp of [Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(signLink({ ...link, exp }, a.key)).rejects.toThrow(
        '"exp" claim must be a finite number',
      );
    }
  });
});
