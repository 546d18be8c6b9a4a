/**
 * Attacks by a domain that is trusted but dishonest (issue 13): it signs whatever it likes with
 * its own key, holds every agent proof ever sent to its token endpoint, and re-signs the token
 * it presents. Each case is titled after the attack and asserts the error code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { base64url } from 'jose';
import { hopBinding, verifyChain, verifyHopBinding } from '@baton/chain';
import {
  HOP_BINDING_CLAIM,
  MAX_NUMERIC_DATE,
  type DelegatedTokenClaims,
  type LinkClaims,
} from '@baton/chain/protocol';
import {
  createFederation,
  resignToken,
  type BuiltChain,
  type Federation,
} from './fixtures/federation.js';
import { expectChainError } from './support.js';

const HOUR = 3600;
const THIRTY_DAYS = 30 * 86_400;
/** Order of the P-256 group (SEC 2 §2.4.2): an ECDSA signature (r, s) also verifies as (r, n − s). */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

let fed: Federation;

beforeAll(async () => {
  fed = await createFederation({ domains: ['a', 'b', 'c', 'd'] });
});

const verify = (token: string, extra = {}) => verifyChain(token, fed.verifyOptions(extra));
const strict = (token: string) => verify(token, { requireBoundHopProofs: true });

/** c mints its hop on `chain` (a→b addressed to c) with `proof`, dated `iat`, as the agent never asked. */
async function rogueHop(
  proof: string,
  iat: number,
  linkChange: (claims: LinkClaims) => void = () => undefined,
  bind = false,
): Promise<BuiltChain> {
  return fed.issueChain({
    path: ['a', 'b', 'c'],
    bind,
    tamper: {
      linkClaims: (i, claims) => {
        if (i === 2) {
          claims.iat = iat;
          claims.dpop = proof;
          linkChange(claims);
        }
      },
    },
  });
}

/** Replaces the ES256 signature's s with n − s: another valid signature over the same bytes. */
function malleate(compact: string): string {
  const [header, payload, signature] = compact.split('.') as [string, string, string];
  const bytes = base64url.decode(signature);
  const s = BigInt(`0x${Buffer.from(bytes.subarray(32)).toString('hex')}`);
  const flipped = Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex');
  return `${header}.${payload}.${base64url.encode(Buffer.concat([bytes.subarray(0, 32), flipped]))}`;
}

describe('invariant 4: a hop proof cannot predate the hop it extends (default, no client change)', () => {
  it.each([
    ['1 hour', HOUR],
    ['30 days', THIRTY_DAYS],
  ])('rejects a hop backdated by %s with an agent proof that old', async (_name, age) => {
    const then = fed.now() - age;
    const oldProof = await fed.agent.proof({
      method: 'POST',
      url: fed.domains['c'].tokenEndpoint,
      iat: then,
    });
    const forged = await rogueHop(oldProof, then);
    const error = await expectChainError(() => verify(forged.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 2, claim: 'iat', issuer: 'https://c.example' });
  });

  it('rejects a hop dated honestly whose proof was made before the hop it extends', async () => {
    const proof = await fed.agent.proof({
      method: 'POST',
      url: fed.domains['c'].tokenEndpoint,
      iat: fed.now() - 200,
    });
    const forged = await rogueHop(proof, fed.now());
    const error = await expectChainError(() => verify(forged.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 2, claim: 'dpop.iat' });
  });

  it('accepts hops within the clock skew of each other (domains with skewed clocks)', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b', 'c'],
      tamper: {
        linkClaims: (i, c) => {
          c.iat -= i * 20;
        },
        proofClaims: (i, p) => {
          p['iat'] = (p['iat'] as number) - i * 20;
        },
      },
    });
    await expect(verify(chain.token)).resolves.toMatchObject({ depth: 3 });
  });
});

describe('invariant 4: hop proofs bound to their hop (baton_hop)', () => {
  it('accepts an honest bound chain with and without requireBoundHopProofs', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'], bind: true });
    await expect(verify(chain.token)).resolves.toMatchObject({ depth: 3 });
    await expect(strict(chain.token)).resolves.toMatchObject({ depth: 3 });
  });

  it('accepts an honest unbound chain by default and refuses it with requireBoundHopProofs', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    await expect(verify(chain.token)).resolves.toMatchObject({ depth: 3 });
    const error = await expectChainError(() => strict(chain.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 1, claim: HOP_BINDING_CLAIM });
  });

  it('accepts a bound origin exchange (sbj on link 0, no prev) under requireBoundHopProofs', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b'],
      bind: true,
      originSubject: { iss: 'https://idp.example', jti: 'idp-1', hash: 'origin-hash' },
    });
    await expect(strict(chain.token)).resolves.toMatchObject({ depth: 2 });
  });

  it('rejects one unbound agent proof used on a second chain when binding is required', async () => {
    const honest = await fed.issueChain({ path: ['a', 'b', 'c'] });
    const reused = await rogueHop(honest.proofs[2], honest.linkClaims[2].iat, undefined, true);
    // The documented limitation without the option: a standard client's proof is not tied to a chain.
    await expect(verify(reused.token)).resolves.toMatchObject({ depth: 3 });
    const error = await expectChainError(() => strict(reused.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 2, claim: HOP_BINDING_CLAIM });
  });

  it('rejects one bound agent proof used on a second chain (sbj.hash left honest)', async () => {
    const honest = await fed.issueChain({ path: ['a', 'b', 'c'], bind: true });
    const reused = await rogueHop(honest.proofs[2], honest.linkClaims[2].iat, undefined, true);
    for (const check of [verify, strict]) {
      const error = await expectChainError(() => check(reused.token), 'ERR_HOP_PROOF', 4);
      expect(error.detail).toMatchObject({ link: 2, claim: `${HOP_BINDING_CLAIM}.sbj_hash` });
    }
  });

  it('rejects one bound agent proof used on a second chain (sbj.hash copied from the proof)', async () => {
    const honest = await fed.issueChain({ path: ['a', 'b', 'c'], bind: true });
    const reused = await rogueHop(
      honest.proofs[2],
      honest.linkClaims[2].iat,
      (claims) => {
        claims.sbj = { ...claims.sbj!, hash: honest.linkClaims[2].sbj!.hash };
      },
      true,
    );
    const error = await expectChainError(() => strict(reused.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 2, claim: `${HOP_BINDING_CLAIM}.prev` });
  });

  it("rejects a changed sbj.hash on the presenting domain's own link when its proof is bound", async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b', 'c'],
      bind: true,
      tamper: {
        linkClaims: (i, c) => {
          if (i === 2) {
            c.sbj = { ...c.sbj!, hash: base64url.encode(new Uint8Array(32)) };
          }
        },
      },
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 2, claim: `${HOP_BINDING_CLAIM}.sbj_hash` });
  });

  it('rejects a middle hop sent to another audience than the agent asked for', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b', 'd'],
      bind: true,
      tamper: {
        proofClaims: (i, p) => {
          if (i === 1) {
            p[HOP_BINDING_CLAIM] = {
              ...(p[HOP_BINDING_CLAIM] as object),
              aud: 'https://c.example',
            };
          }
        },
      },
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 1, claim: `${HOP_BINDING_CLAIM}.aud` });
  });

  it('rejects a middle hop that grants more scope than the agent asked for (still within the subject)', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b', 'c'],
      bind: true,
      tamper: {
        proofClaims: (i, p) => {
          if (i === 1) {
            p[HOP_BINDING_CLAIM] = { ...(p[HOP_BINDING_CLAIM] as object), scope: 'read' };
          }
        },
      },
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 1, claim: `${HOP_BINDING_CLAIM}.scope` });
  });

  it.each([
    ['an unknown member', { extra: 'x' }],
    ['a non-string member', { aud: 7 }],
    ['no sbj_hash', { sbj_hash: undefined }],
  ])('rejects a hop proof whose baton_hop has %s', async (_name, change) => {
    const chain = await fed.issueChain({
      path: ['a', 'b'],
      bind: true,
      tamper: {
        proofClaims: (i, p) => {
          if (i === 1) {
            p[HOP_BINDING_CLAIM] = { ...(p[HOP_BINDING_CLAIM] as object), ...change };
          }
        },
      },
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 1, claim: HOP_BINDING_CLAIM });
  });

  it('rejects a bound proof on an origin grant (no subject to bind to)', async () => {
    const other = await fed.issueChain({ path: ['a'] });
    const chain = await fed.issueChain({
      path: ['a', 'b'],
      tamper: {
        proofClaims: (i, p) => {
          if (i === 0) {
            p[HOP_BINDING_CLAIM] = hopBinding(other.token);
          }
        },
      },
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 0, claim: HOP_BINDING_CLAIM });
  });
});

describe('invariant 0: version 1 is a closed claim set all the way down', () => {
  const linkCases: Array<[string, (c: LinkClaims) => void, string]> = [
    ['an extra member in cnf', (c) => Object.assign(c.cnf, { x5t: 'x' }), 'cnf'],
    ['an extra member in sbj', (c) => Object.assign(c.sbj!, { note: 'x' }), 'sbj'],
    ['an extra member in status', (c) => (c.status = Object.assign(status(), { x: 1 })), 'status'],
    [
      'an extra member in status.status_list',
      (c) => (c.status = { status_list: { ...status().status_list, bits: 1 } as never }),
      'status',
    ],
    [
      'a negative status index',
      (c) => (c.status = { status_list: { idx: -1, uri: 'u' } }),
      'status',
    ],
  ];
  it.each(linkCases)(
    'rejects a link re-signed by its own domain with %s',
    async (_name, change, claim) => {
      const chain = await fed.issueChain({
        path: ['a', 'b'],
        tamper: {
          linkClaims: (i, c) => {
            if (i === 1) {
              change(c);
            }
          },
        },
      });
      const error = await expectChainError(() => verify(chain.token), 'ERR_MALFORMED', 0);
      expect(error.detail).toMatchObject({ link: 1, claim });
    },
  );

  it('accepts a link with a status reference of exactly { status_list: { idx, uri } }', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b'],
      tamper: {
        linkClaims: (_i, c) => {
          c.status = status();
        },
      },
    });
    await expect(verify(chain.token)).resolves.toMatchObject({ depth: 2 });
  });

  it.each([
    ['an extra member in cnf', (c: DelegatedTokenClaims) => Object.assign(c.cnf, { x: 1 }), 'cnf'],
    [
      'an extra member in the chain claim',
      (c: DelegatedTokenClaims) => Object.assign(c.baton, { note: 'x' }),
      'baton',
    ],
  ])('rejects a token re-signed by the presenting domain with %s', async (_name, change, claim) => {
    const chain = await fed.issueChain({ path: ['a', 'b'] });
    const forged = await resignToken(chain.token, change, fed.domains['b'].key);
    const error = await expectChainError(() => verify(forged), 'ERR_MALFORMED', 0);
    expect(error.detail.claim).toBe(claim);
  });

  it('accepts extra top-level token claims (the spec allows them, uninterpreted)', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b'] });
    const extended = await resignToken(
      chain.token,
      (c) => Object.assign(c, { tenant: 'x' }),
      fed.domains['b'].key,
    );
    await expect(verify(extended)).resolves.toMatchObject({ depth: 2 });
  });
});

describe('invariant 0: times within a sane range', () => {
  it.each([
    ['exp = 9e15', 'exp', 9e15],
    ['exp one second after year 9999', 'exp', MAX_NUMERIC_DATE + 1],
    ['a negative iat', 'iat', -1],
  ])('rejects a chain whose trusted issuer sets %s', async (_name, claim, value) => {
    const chain = await fed.issueChain({
      path: ['a'],
      tamper: {
        linkClaims: (_i, c) => {
          (c as unknown as Record<string, unknown>)[claim] = value;
        },
      },
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_MALFORMED', 0);
    expect(error.detail.claim).toBe(claim);
  });

  it('rejects a token whose nbf is not a NumericDate', async () => {
    const chain = await fed.issueChain({ path: ['a'] });
    const forged = await resignToken(
      chain.token,
      (c) => Object.assign(c, { nbf: 9e15 }),
      fed.domains['a'].key,
    );
    const error = await expectChainError(() => verify(forged), 'ERR_MALFORMED', 0);
    expect(error.detail.claim).toBe('nbf');
  });
});

describe('join key: (iss, jti), because an ES256 token hash is not a unique name', () => {
  it('accepts a token whose signature was malleated (s → n − s) with the same (iss, jti) and another hash', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    const twin = malleate(chain.token);
    expect(twin).not.toBe(chain.token);
    const original = await verify(chain.token);
    const malleated = await verify(twin);
    expect(malleated.tokenHash).not.toBe(original.tokenHash);
    expect([malleated.claims['iss'], malleated.claims['jti']]).toEqual([
      original.claims['iss'],
      original.claims['jti'],
    ]);
    expect(malleated.linkHashes).toEqual(original.linkHashes);
  });

  it('rejects a malleated middle link: the next link names the original hash', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    const links = [...chain.links];
    links[1] = malleate(links[1]);
    const forged = await resignToken(
      chain.token,
      (c) => {
        c.baton.links = links;
      },
      fed.domains['c'].key,
    );
    const error = await expectChainError(() => verify(forged), 'ERR_LINKAGE', 6);
    expect(error.detail).toMatchObject({ link: 2, claim: 'prev' });
  });
});

describe('verifyHopBinding: the token endpoint checks baton_hop against the request', () => {
  const proofFor = (binding: unknown) =>
    fed.agent.proof({
      method: 'POST',
      url: fed.domains['c'].tokenEndpoint,
      claims: binding === undefined ? {} : { [HOP_BINDING_CLAIM]: binding },
    });

  it('accepts a proof bound to the presented subject token, target and scope', async () => {
    const subject = (await fed.issueChain({ path: ['a', 'b'], audience: 'https://c.example' }))
      .token;
    const binding = hopBinding(subject, { audience: 'https://api.example', scope: 'read' });
    const proof = await proofFor(binding);
    expect(
      verifyHopBinding(proof, {
        subjectToken: subject,
        audience: 'https://api.example',
        scope: 'read',
      }),
    ).toEqual(binding);
    expect(verifyHopBinding(await proofFor(undefined), { subjectToken: subject })).toBeUndefined();
  });

  it.each([
    ['another subject token (a malleated twin counts as another)', 'sbj_hash'],
    ['another audience', 'aud'],
    ['another scope', 'scope'],
    ['a forged prev', 'prev'],
  ])('refuses a proof bound to %s', async (_name, member) => {
    const subject = (await fed.issueChain({ path: ['a', 'b'], audience: 'https://c.example' }))
      .token;
    const request = { subjectToken: subject, audience: 'https://api.example', scope: 'read' };
    const binding: Record<string, unknown> = { ...hopBinding(subject, request) };
    binding[member] =
      member === 'sbj_hash'
        ? hopBinding(malleate(subject)).sbj_hash
        : `${String(binding[member])}x`;
    const error = await expectChainError(
      async () => verifyHopBinding(await proofFor(binding), request),
      'ERR_DPOP_PROOF',
      9,
    );
    expect(error.detail.claim).toBe(`${HOP_BINDING_CLAIM}.${member}`);
  });

  it('refuses a bound proof on an origin grant', async () => {
    const subject = (await fed.issueChain({ path: ['a'] })).token;
    const error = await expectChainError(
      async () => verifyHopBinding(await proofFor(hopBinding(subject)), undefined),
      'ERR_DPOP_PROOF',
    );
    expect(error.detail.claim).toBe(HOP_BINDING_CLAIM);
  });
});

function status(): { status_list: { idx: number; uri: string } } {
  return { status_list: { idx: 3, uri: 'https://a.example/status/1' } };
}
