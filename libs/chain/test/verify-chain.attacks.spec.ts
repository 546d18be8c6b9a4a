import { beforeAll, describe, expect, it } from 'vitest';
import { base64url, CompactSign } from 'jose';
import { createHmac } from 'node:crypto';
import { verifyChain } from '@baton/chain';
import type { SigningKey } from '@baton/chain/issue';
import {
  ACCESS_TOKEN_TYP,
  LINK_TYP,
  type DelegatedTokenClaims,
  type LinkClaims,
} from '@baton/chain/protocol';
import {
  createAgent,
  createDomainKey,
  createFederation,
  decodePayload,
  replacePayload,
  resignToken,
  signAs,
  type Agent,
  type BuiltChain,
  type DomainKey,
  type Federation,
} from './fixtures/federation.js';
import { expectChainError } from './support.js';

let fed: Federation;
let honest: BuiltChain;
let rogue: DomainKey;
let rogueAgent: Agent;

beforeAll(async () => {
  fed = await createFederation({ domains: ['a', 'b', 'c', 'd', 'e', 'f'] });
  honest = await fed.issueChain({ path: ['a', 'b', 'c'] });
  rogue = await createDomainKey();
  rogueAgent = await createAgent();
});

const verify = (token: string, extra = {}) => verifyChain(token, fed.verifyOptions(extra));

/** The presenting domain (c) re-signs the token around a new list of links. */
function repackage(
  token: string,
  links: string[],
  key: SigningKey = fed.domains['c'].key,
): Promise<string> {
  return resignToken(
    token,
    (claims) => {
      claims.baton.links = links;
    },
    key,
  );
}

function withLink(chain: BuiltChain, index: number, link: string): Promise<string> {
  const links = [...chain.links];
  links[index] = link;
  const presenter = Object.values(fed.domains).find((d) => d.issuer === chain.claims.iss)!;
  return repackage(chain.token, links, presenter.key);
}

const linkMutations: Record<string, (claims: LinkClaims) => void> = {
  iss: (c) => {
    c.iss = 'https://a.example';
  },
  sub: (c) => {
    c.sub = 'mallory';
  },
  aud: (c) => {
    c.aud = 'https://evil.example';
  },
  client_id: (c) => {
    c.client_id = 'mallory';
  },
  scope: (c) => {
    c.scope = 'read write admin';
  },
  iat: (c) => {
    c.iat += 100;
  },
  exp: (c) => {
    c.exp += 3600;
  },
  jti: (c) => {
    c.jti = 'another-jti';
  },
  cnf: (c) => {
    c.cnf = { jkt: rogueAgent.jkt };
  },
  prev: (c) => {
    c.prev = base64url.encode(new Uint8Array(32));
  },
  sbj: (c) => {
    c.sbj = { ...c.sbj!, jti: 'another-subject' };
  },
  dpop: (c) => {
    c.dpop = honest.proofs[0]!;
  },
};

describe('verifyChain: the honest journey', () => {
  it('accepts an honest three-hop chain and reports every hop', async () => {
    const result = await verify(honest.token);
    expect(result.depth).toBe(3);
    expect(result.hops.map((h) => h.domain)).toEqual([
      'https://a.example',
      'https://b.example',
      'https://c.example',
    ]);
    expect(result.hops.map((h) => h.audience)).toEqual([
      'https://b.example',
      'https://c.example',
      fed.resource,
    ]);
    expect(result.originIssuer).toBe('https://a.example');
    expect(result.agentKeyThumbprint).toBe(fed.agent.jkt);
    expect(result.scope).toEqual(['read', 'write']);
    expect(result.hops[0].subjectToken).toBeUndefined();
    expect(result.hops[1].subjectToken?.jti).toBe(honest.linkClaims[0].jti);
    expect(result.linkHashes[1]).toBe(honest.linkClaims[2].prev);
    expect(result.kind === 'chained' ? result.claims.act : undefined).toEqual({
      iss: 'https://c.example',
      sub: 'agent@c',
      act: { iss: 'https://b.example', sub: 'agent@b' },
    });
  });

  it('accepts a single origin hop, a hop within one domain (A→A→B) and narrowing scope', async () => {
    await expect(verify((await fed.issueChain({ path: ['a'] })).token)).resolves.toMatchObject({
      depth: 1,
      hops: [{ index: 0 }],
    });
    const sameDomain = await fed.issueChain({
      path: ['a', 'a', 'b'],
      scope: ['read write', 'read write', 'read'],
    });
    await expect(verify(sameDomain.token)).resolves.toMatchObject({ depth: 3, scope: ['read'] });
  });
});

describe('invariant 1: signatures and trust', () => {
  it.each(Object.keys(linkMutations))(
    'rejects a middle link whose %s was altered and re-signed by an untrusted key',
    async (field) => {
      const claims = structuredClone(honest.linkClaims[1]);
      linkMutations[field](claims);
      const forged = await signAs(claims, LINK_TYP, {
        ...rogue.key,
        kid: fed.domains['b'].key.kid,
      });
      const error = await expectChainError(
        async () => verify(await withLink(honest, 1, forged)),
        'ERR_SIGNATURE',
        1,
      );
      expect(error.detail.link).toBe(1);
    },
  );

  it.each(Object.keys(linkMutations))(
    'rejects a middle link whose %s was altered under its original signature',
    async (field) => {
      const forged = replacePayload<LinkClaims>(honest.links[1], linkMutations[field]);
      const error = await expectChainError(
        async () => verify(await withLink(honest, 1, forged)),
        'ERR_SIGNATURE',
        1,
      );
      expect(error.detail).toMatchObject({ link: 1, claim: field === 'iss' ? 'kid' : 'signature' });
    },
  );

  it.each(['scope', 'exp', 'sub', 'act'])(
    'rejects a token whose %s was altered under its original signature',
    async (field) => {
      const forged = replacePayload<DelegatedTokenClaims>(honest.token, (c) => {
        (c as unknown as Record<string, unknown>)[field] =
          field === 'exp' ? c.exp + 3600 : field === 'act' ? undefined : 'x';
      });
      await expectChainError(() => verify(forged), 'ERR_SIGNATURE', 1);
    },
  );

  it('rejects a token signed by a key the presenting domain never published (unknown kid)', async () => {
    const forged = await resignToken(honest.token, () => undefined, rogue.key);
    const error = await expectChainError(() => verify(forged), 'ERR_SIGNATURE', 1);
    expect(error.detail.claim).toBe('kid');
  });

  it('rejects alg none (unsecured JWS, with or without a signature part)', async () => {
    const [, payload] = honest.token.split('.');
    const header = base64url.encode(
      JSON.stringify({ alg: 'none', typ: ACCESS_TOKEN_TYP, kid: fed.domains['c'].key.kid }),
    );
    await expectChainError(() => verify(`${header}.${payload}.`), 'ERR_MALFORMED', 0);
    const error = await expectChainError(
      () => verify(`${header}.${payload}.AAAA`),
      'ERR_SIGNATURE',
      1,
    );
    expect(error.detail.claim).toBe('alg');
  });

  it('rejects HS256 signed with the domain public key as the HMAC secret (key confusion)', async () => {
    const header = base64url.encode(
      JSON.stringify({ alg: 'HS256', typ: ACCESS_TOKEN_TYP, kid: fed.domains['c'].key.kid }),
    );
    const payload = honest.token.split('.')[1];
    const secret = JSON.stringify(fed.domains['c'].publicJwk);
    const mac = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    const error = await expectChainError(
      () => verify(`${header}.${payload}.${mac}`),
      'ERR_SIGNATURE',
      1,
    );
    expect(error.detail.claim).toBe('alg');
  });

  it.each(['jwk', 'jku', 'x5u'])(
    'rejects a token header that names its own key (%s)',
    async (param) => {
      const value = param === 'jwk' ? rogue.publicJwk : 'https://evil.example/jwks';
      const claims = decodePayload<DelegatedTokenClaims>(honest.token);
      const forged = await signAs(claims, ACCESS_TOKEN_TYP, rogue.key, { [param]: value });
      const error = await expectChainError(() => verify(forged), 'ERR_SIGNATURE', 1);
      expect(error.detail.claim).toBe(param);
    },
  );

  it('rejects a link header that embeds its own jwk', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b'],
      tamper: {
        linkHeader: (i, h) => {
          if (i === 0) {
            h['jwk'] = fed.domains['a'].publicJwk;
          }
        },
      },
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_SIGNATURE', 1);
    expect(error.detail).toMatchObject({ link: 0, claim: 'jwk' });
  });

  it('rejects a token from an untrusted issuer without fetching anything', async () => {
    let fetches = 0;
    const counting: typeof fetch = () => {
      fetches++;
      return Promise.resolve(new Response('{}'));
    };
    const outsider = await createFederation({ domains: ['x'], agent: fed.agent });
    const token = (await outsider.issueChain({ path: ['x'] })).token;
    const trust = fed.trustStore({ fetch: counting });
    await expectChainError(
      () => verifyChain(token, fed.verifyOptions({ trust })),
      'ERR_UNTRUSTED_ISSUER',
      1,
    );
    expect(fetches).toBe(0);
  });

  it('rejects a chain whose earlier link comes from an untrusted issuer', async () => {
    const trust = new (fed.trustStore().constructor as typeof import('@baton/chain').TrustStore)({
      issuers: fed.trustedIssuers().filter((i) => i.issuer !== 'https://a.example'),
    });
    const error = await expectChainError(
      () => verifyChain(honest.token, fed.verifyOptions({ trust })),
      'ERR_UNTRUSTED_ISSUER',
      1,
    );
    expect(error.detail).toMatchObject({ link: 0, issuer: 'https://a.example' });
  });

  it('rejects a token signed by an issuer trusted only upstream (role present missing)', async () => {
    const { TrustStore } = await import('@baton/chain');
    const trust = new TrustStore({
      issuers: fed
        .trustedIssuers()
        .map((i) =>
          i.issuer === 'https://c.example' ? { ...i, roles: ['upstream'] as const } : i,
        ),
    });
    await expectChainError(
      () => verifyChain(honest.token, fed.verifyOptions({ trust })),
      'ERR_UNTRUSTED_ISSUER',
      1,
    );
  });
});

describe('invariant 0: structure and size', () => {
  it('rejects a link presented as a token', async () => {
    const error = await expectChainError(() => verify(honest.links[2]), 'ERR_MALFORMED', 0);
    expect(error.detail.claim).toBe('typ');
  });

  it('rejects a token smuggled into the chain as a link', async () => {
    const error = await expectChainError(
      async () => verify(await withLink(honest, 1, honest.tokens[1])),
      'ERR_MALFORMED',
      0,
    );
    expect(error.detail).toMatchObject({ link: 1, claim: 'typ' });
  });

  it('rejects a token over the size limit before parsing it', async () => {
    await expectChainError(() => verify('a'.repeat(17 * 1024)), 'ERR_MALFORMED', 0);
    const error = await expectChainError(
      () => verify(honest.token, { maxTokenBytes: 1024 }),
      'ERR_MALFORMED',
      0,
    );
    expect(error.detail.claim).toBe('size');
  });

  it('rejects deeply nested act JSON without exhausting the stack', async () => {
    const { act: _act, ...claims } = decodePayload<DelegatedTokenClaims>(honest.token);
    const nested = `${'{"act":'.repeat(20_000)}{"iss":"x","sub":"y"}${'}'.repeat(20_000)}`;
    const payload = `${JSON.stringify(claims).slice(0, -1)},"act":${nested}}`;
    const c = fed.domains['c'].key;
    const forged = await new CompactSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: c.alg, typ: ACCESS_TOKEN_TYP, kid: c.kid })
      .sign(c.privateKey);
    const error = await expectChainError(
      () => verify(forged, { maxTokenBytes: 1 << 20 }),
      'ERR_MALFORMED',
      0,
    );
    expect(error.detail.claim).toBe('act');
  });

  it.each([
    ['not a JWS', 'garbage'],
    ['empty', ''],
    ['binary junk', '\u0000\u0001.\u0002.\u0003'],
    ['non-JSON payload', 'eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.AAAA'],
  ])('rejects %s as malformed', async (_name, token) => {
    await expectChainError(() => verify(token), 'ERR_MALFORMED', 0);
  });

  it('rejects a link with an unknown claim or version', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b'],
      tamper: {
        linkClaims: (i, c) => {
          if (i === 1) {
            (c as unknown as Record<string, unknown>)['extra'] = 1;
          }
        },
      },
    });
    await expectChainError(() => verify(chain.token), 'ERR_MALFORMED', 0);
  });

  it('rejects a link whose hop proof is missing', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b'],
      tamper: {
        linkClaims: (i, c) => {
          if (i === 1) {
            delete (c as Partial<LinkClaims>).dpop;
          }
        },
      },
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_MALFORMED', 0);
    expect(error.detail).toMatchObject({ link: 1, claim: 'dpop' });
  });
});

describe('invariant 2: continuity and audience', () => {
  it('rejects a token sent to the wrong audience', async () => {
    await expectChainError(
      () => verify(honest.token, { audience: 'https://other.example' }),
      'ERR_AUDIENCE',
      2,
    );
  });

  it('rejects a middle link addressed to another domain than the next issuer', async () => {
    const chain = await fed.issueChain({
      tamper: {
        linkClaims: (i, c) => {
          if (i === 0) {
            c.aud = 'https://d.example';
          }
        },
      },
      path: ['a', 'b', 'c'],
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_CONTINUITY', 2);
    expect(error.detail).toMatchObject({ link: 0, claim: 'aud' });
  });

  it('rejects a token whose claims differ from its own link (scope re-signed by the presenting domain)', async () => {
    const forged = await resignToken(
      honest.token,
      (c) => {
        c.scope = 'read';
      },
      fed.domains['c'].key,
    );
    const error = await expectChainError(() => verify(forged), 'ERR_CONTINUITY', 2);
    expect(error.detail).toMatchObject({ link: 2, claim: 'scope' });
  });
});

describe('invariant 3: key binding', () => {
  it('rejects a middle hop that rebinds cnf.jkt to its own key (and signs validly)', async () => {
    const chain = await fed.issueChain({
      tamper: {
        linkClaims: (i, c) => {
          if (i >= 1) {
            c.cnf = { jkt: rogueAgent.jkt };
          }
        },
        proofAgent: (i) => (i >= 1 ? rogueAgent : undefined),
        tokenClaims: (i, c) => {
          if (i >= 1) {
            c.cnf = { jkt: rogueAgent.jkt };
          }
        },
      },
      path: ['a', 'b', 'c'],
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_KEY_BINDING', 3);
    expect(error.detail).toMatchObject({ link: 1, claim: 'cnf.jkt' });
  });
});

describe('invariant 4: hop proofs', () => {
  const cases: Array<[string, Parameters<Federation['issueChain']>[0], string]> = [
    [
      'rejects a hop proof signed by another key than the cnf key',
      { tamper: { proofAgent: (i) => (i === 1 ? rogueAgent : undefined) } },
      'jkt',
    ],
    [
      'rejects a hop proof made for another endpoint (htu)',
      {
        tamper: {
          proofClaims: (i, c) => {
            if (i === 1) {
              c['htu'] = 'https://a.example/token';
            }
          },
        },
      },
      'htu',
    ],
    [
      'rejects a hop proof made for another method (htm)',
      {
        tamper: {
          proofClaims: (i, c) => {
            if (i === 1) {
              c['htm'] = 'GET';
            }
          },
        },
      },
      'htm',
    ],
    [
      'rejects a hop proof made long before the link (outside its time)',
      {
        tamper: {
          proofClaims: (i, c) => {
            if (i === 1) {
              c['iat'] = (c['iat'] as number) - 1000;
            }
          },
        },
      },
      'iat',
    ],
    [
      'rejects a hop proof made after the link (outside its time)',
      {
        tamper: {
          proofClaims: (i, c) => {
            if (i === 1) {
              c['iat'] = (c['iat'] as number) + 120;
            }
          },
        },
      },
      'iat',
    ],
  ];
  it.each(cases)('%s', async (_title, spec, claim) => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'], ...spec });
    const error = await expectChainError(() => verify(chain.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 1, claim });
  });

  it('rejects a hop proof reused at another hop of the chain', async () => {
    let first = '';
    const relinked = await fed.issueChain({
      path: ['a', 'a', 'b'],
      tamper: {
        linkClaims: (i, c) => {
          if (i === 0) {
            first = c.dpop;
          } else if (i === 1) {
            c.dpop = first;
          }
        },
      },
    });
    const error = await expectChainError(() => verify(relinked.token), 'ERR_HOP_PROOF', 4);
    expect(error.detail).toMatchObject({ link: 1, claim: 'jti' });
  });
});

describe('invariant 5: attenuation', () => {
  it('rejects a middle hop that widens scope (re-signed by the rightful domain)', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b', 'c'],
      scope: ['read', 'read admin', 'read admin'],
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_ATTENUATION', 5);
    expect(error.detail).toMatchObject({ link: 1, claim: 'scope', actual: ['admin'] });
  });

  it('rejects a middle hop that extends exp', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b', 'c'],
      tamper: {
        linkClaims: (i, c) => {
          if (i >= 1) {
            c.exp += 3600;
          }
        },
      },
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_ATTENUATION', 5);
    expect(error.detail).toMatchObject({ link: 1, claim: 'exp' });
  });

  it('rejects a middle hop that changes the subject', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b', 'c'],
      tamper: {
        linkClaims: (i, c) => {
          if (i >= 1) {
            c.sub = 'root';
          }
        },
      },
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_ATTENUATION', 5);
    expect(error.detail).toMatchObject({ link: 1, claim: 'sub' });
  });
});

describe('invariant 6: hash linkage', () => {
  it('rejects a dropped link (A→B→B→C without the B→B hop)', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'b', 'c'] });
    const forged = await repackage(chain.token, [chain.links[0], chain.links[2], chain.links[3]]);
    await expectChainError(() => verify(forged), 'ERR_LINKAGE', 6);
  });

  it('rejects reordered links (two hops within B swapped)', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'b', 'b', 'c'] });
    const [l0, l1, l2, l3, l4] = chain.links as [string, string, string, string, string];
    const forged = await repackage(chain.token, [l0, l2, l1, l3, l4]);
    await expectChainError(() => verify(forged), 'ERR_LINKAGE', 6);
  });

  it('rejects a duplicated link (the reused hop proof gives it away first)', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'b', 'c'] });
    const [l0, l1, l2, l3] = chain.links as [string, string, string, string];
    const forged = await repackage(chain.token, [l0, l1, l1, l2, l3]);
    await expectChainError(() => verify(forged), 'ERR_HOP_PROOF', 4);
  });

  it('rejects a link spliced in from another chain of the same agent', async () => {
    const other = await fed.issueChain({ path: ['a', 'b', 'c'], now: honest.claims.iat });
    const forged = await repackage(honest.token, [
      honest.links[0],
      other.links[1],
      honest.links[2],
    ]);
    const error = await expectChainError(() => verify(forged), 'ERR_LINKAGE', 6);
    expect(error.detail.link).toBe(1);
  });

  it('rejects a first link that claims a predecessor', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b'],
      tamper: {
        linkClaims: (i, c) => {
          if (i === 0) {
            c.prev = 'x';
          }
        },
      },
    });
    await expectChainError(() => verify(chain.token), 'ERR_LINKAGE', 6);
  });

  it('rejects a hop whose subject token is not the previous token', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b'],
      tamper: {
        linkClaims: (i, c) => {
          if (i === 1) {
            c.sbj = { ...c.sbj!, jti: 'elsewhere' };
          }
        },
      },
    });
    const error = await expectChainError(() => verify(chain.token), 'ERR_LINKAGE', 6);
    expect(error.detail).toMatchObject({ link: 1, claim: 'sbj' });
  });
});

describe('invariant 7: act nesting', () => {
  const lies: Array<[string, (act: Record<string, unknown> | undefined) => unknown]> = [
    ['act removed', () => undefined],
    [
      'inner actor renamed',
      (act) => ({ ...act, act: { iss: 'https://b.example', sub: 'mallory' } }),
    ],
    [
      'an extra level',
      (act) => ({
        ...act,
        act: { ...(act!['act'] as object), act: { iss: 'https://z.example', sub: 'z' } },
      }),
    ],
    [
      'levels swapped',
      (act) => ({ ...(act!['act'] as object), act: { iss: act!['iss'], sub: act!['sub'] } }),
    ],
    ['an extra member', (act) => ({ ...act, client_id: 'x' })],
  ];
  it.each(lies)('rejects act that disagrees with the links: %s', async (_name, lie) => {
    const forged = await resignToken(
      honest.token,
      (c) => {
        const act = lie(c.act as unknown as Record<string, unknown>);
        if (act === undefined) {
          delete c.act;
        } else {
          (c as unknown as Record<string, unknown>)['act'] = act;
        }
      },
      fed.domains['c'].key,
    );
    await expectChainError(() => verify(forged), 'ERR_ACT_MISMATCH', 7);
  });

  it('rejects act on a token whose links record no exchange', async () => {
    const chain = await fed.issueChain({
      path: ['a'],
      tamper: {
        tokenClaims: (_i, c) => {
          c.act = { iss: 'https://a.example', sub: 'agent' };
        },
      },
    });
    await expectChainError(() => verify(chain.token), 'ERR_ACT_MISMATCH', 7);
  });

  it('accepts an origin exchange (sbj on link 0) that opens act', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b'],
      originSubject: { iss: 'https://idp.example', jti: 'idp-1', hash: 'h' },
    });
    const result = await verify(chain.token);
    expect(result.kind === 'chained' ? result.claims.act : undefined).toEqual({
      iss: 'https://b.example',
      sub: 'agent@b',
      act: { iss: 'https://a.example', sub: 'agent' },
    });
  });
});

describe('invariant 8: depth and loops', () => {
  it('rejects a chain deeper than the limit', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c', 'd', 'e', 'f'] });
    await expectChainError(() => verify(chain.token), 'ERR_DEPTH', 8);
    await expectChainError(() => verify(honest.token, { maxDepth: 2 }), 'ERR_DEPTH', 8);
    await expect(verify(chain.token, { maxDepth: 6 })).resolves.toMatchObject({ depth: 6 });
  });

  it('rejects a domain visited twice (A→B→A)', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'a'] });
    const error = await expectChainError(() => verify(chain.token), 'ERR_DOMAIN_REPEATED', 8);
    expect(error.detail).toMatchObject({ link: 2, issuer: 'https://a.example' });
  });
});

describe('invariant 10: expiry and revocation', () => {
  it('rejects an expired chain', async () => {
    await expectChainError(
      () => verify(honest.token, { now: fed.now() + 3600 }),
      'ERR_EXPIRED',
      10,
    );
  });

  it('rejects a chain issued in the future', async () => {
    await expectChainError(
      () => verify(honest.token, { now: fed.now() - 3600 }),
      'ERR_EXPIRED',
      10,
    );
  });

  it('rejects a chain with a revoked link', async () => {
    const error = await expectChainError(
      () =>
        verify(honest.token, { isRevoked: (link: LinkClaims) => link.iss === 'https://b.example' }),
      'ERR_REVOKED',
      10,
    );
    expect(error.detail.link).toBe(1);
  });

  it('requires every required scope', async () => {
    await expectChainError(
      () => verify(honest.token, { requiredScopes: ['admin'] }),
      'ERR_INSUFFICIENT_SCOPE',
    );
    await expect(verify(honest.token, { requiredScopes: ['read'] })).resolves.toBeDefined();
  });
});

describe('errors', () => {
  it('never carry a token or a link in message or detail', async () => {
    const forged = replacePayload<LinkClaims>(honest.links[1], (c) => {
      c.scope = 'admin';
    });
    const error = await expectChainError(
      async () => verify(await withLink(honest, 1, forged)),
      'ERR_SIGNATURE',
    );
    const text = `${error.message} ${JSON.stringify(error.detail)}`;
    for (const compact of [honest.token, ...honest.links, ...honest.proofs]) {
      expect(text).not.toContain(compact.split('.')[2]);
    }
  });
});
