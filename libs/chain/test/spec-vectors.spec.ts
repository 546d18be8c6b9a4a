/**
 * docs/chain-vectors.json and docs/chain-spec.md are fixtures: this spec re-verifies every vector
 * with its fixed `now`, checks the spec's JSON examples against the decoded vectors, and measures
 * the size per hop the spec states. Regenerate the vectors with BATON_WRITE_VECTORS=1 (then
 * update the examples in the spec from the printed output).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import { decodeChain, TrustStore, verifyChain, type ChainErrorCode } from '@baton/chain';
import { DEFAULT_MAX_TOKEN_BYTES, type LinkClaims } from '@baton/chain/protocol';
import {
  agentFromKeys,
  createFederation,
  replacePayload,
  resignToken,
  type DomainKey,
  type Federation,
} from './fixtures/federation.js';
import { expectChainError } from './support.js';

const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));
const VECTORS_PATH = `${DOCS}chain-vectors.json`;
const SPEC_PATH = `${DOCS}chain-spec.md`;
const NOW = 1_767_225_600;
const DOMAINS = ['a', 'b', 'c'];

interface Vectors {
  description: string;
  now: number;
  audience: string;
  keys: Record<string, JWK>;
  trust: Array<{
    issuer: string;
    tokenEndpoint: string;
    algorithms: string[];
    jwks: { keys: JWK[] };
  }>;
  valid: Array<{
    name: string;
    token: string;
    /** verifyChain options beyond trust, audience and now. */
    options?: { requireBoundHopProofs?: boolean };
    expect: {
      depth: number;
      scope: string[];
      linkHashes: string[];
      tokenHash: string;
      act?: unknown;
    };
  }>;
  invalid: Array<{
    name: string;
    token: string;
    options?: { requireBoundHopProofs?: boolean };
    code: ChainErrorCode;
    invariant: number;
  }>;
}

async function vectorFederation(
  keys?: Record<string, JWK>,
): Promise<{ fed: Federation; privateJwks: Record<string, JWK> }> {
  const privateJwks: Record<string, JWK> = {};
  const domainKeys: Record<string, DomainKey> = {};
  for (const name of [...DOMAINS, 'agent']) {
    let jwk = keys?.[name];
    if (jwk === undefined) {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      jwk = { ...(await exportJWK(privateKey)), alg: 'ES256' };
    }
    privateJwks[name] = jwk;
    const { d: _d, ...publicJwk } = jwk;
    if (name !== 'agent') {
      const kid = await calculateJwkThumbprint(publicJwk);
      privateJwks[name] = { ...jwk, kid };
      domainKeys[name] = {
        key: { privateKey: (await importJWK(jwk, 'ES256')) as CryptoKey, kid, alg: 'ES256' },
        publicJwk: { ...publicJwk, kid, use: 'sig' },
      };
    }
  }
  const { d: _d, ...agentPublic } = privateJwks['agent'];
  const agent = await agentFromKeys(
    (await importJWK(privateJwks['agent'], 'ES256')) as CryptoKey,
    agentPublic,
    'ES256',
  );
  const fed = await createFederation({ domains: DOMAINS, keys: domainKeys, agent, now: NOW });
  return { fed, privateJwks };
}

async function generateVectors(keys?: Record<string, JWK>): Promise<Vectors> {
  const { fed, privateJwks } = await vectorFederation(keys);
  const at = NOW - 10;
  const three = await fed.issueChain({
    path: ['a', 'b', 'c'],
    now: at,
    scope: ['orders:read orders:write', 'orders:read orders:write', 'orders:read'],
    bind: true,
  });
  const unbound = await fed.issueChain({
    path: ['a', 'b', 'c'],
    now: at,
    scope: ['orders:read orders:write', 'orders:read orders:write', 'orders:read'],
  });
  const oldProof = await fed.agent.proof({
    method: 'POST',
    url: fed.domains['c'].tokenEndpoint,
    iat: at - 3600,
  });
  const one = await fed.issueChain({ path: ['a'], now: at });
  const other = await fed.issueChain({
    path: ['a', 'b', 'c'],
    now: at,
    scope: ['orders:read orders:write', 'orders:read orders:write', 'orders:read'],
  });
  const expectOf = async (token: string, requireBoundHopProofs = false) => {
    const r = await verifyChain(token, fed.verifyOptions({ requireBoundHopProofs }));
    return {
      depth: r.depth,
      scope: r.scope,
      linkHashes: r.linkHashes,
      tokenHash: r.tokenHash,
      ...(r.kind === 'chained' && r.claims.act ? { act: r.claims.act } : {}),
    };
  };
  const c = fed.domains['c'].key;
  const links = [...three.links];
  links[1] = replacePayload<LinkClaims>(three.links[1], (l) => {
    l.scope = 'orders:read orders:write admin';
  });
  const invalid: Vectors['invalid'] = [
    {
      name: 'middle link scope altered under its original signature',
      token: await resignToken(
        three.token,
        (t) => {
          t.baton.links = links;
        },
        c,
      ),
      code: 'ERR_SIGNATURE',
      invariant: 1,
    },
    {
      name: 'token for another audience',
      token: (
        await fed.issueChain({ path: ['a', 'b'], now: at, audience: 'https://other.example' })
      ).token,
      code: 'ERR_AUDIENCE',
      invariant: 2,
    },
    {
      name: 'middle hop rebinds cnf.jkt',
      token: (
        await fed.issueChain({
          path: ['a', 'b', 'c'],
          now: at,
          tamper: {
            linkClaims: (i, l) => {
              if (i === 1) {
                l.cnf = { jkt: 'rebound' };
              }
            },
          },
        })
      ).token,
      code: 'ERR_KEY_BINDING',
      invariant: 3,
    },
    {
      name: 'hop proof made for another token endpoint',
      token: (
        await fed.issueChain({
          path: ['a', 'b'],
          now: at,
          tamper: {
            proofClaims: (i, p) => {
              if (i === 1) {
                p['htu'] = 'https://a.example/token';
              }
            },
          },
        })
      ).token,
      code: 'ERR_HOP_PROOF',
      invariant: 4,
    },
    {
      name: 'hop backdated by one hour with an agent proof that old',
      token: (
        await fed.issueChain({
          path: ['a', 'b', 'c'],
          now: at,
          tamper: {
            linkClaims: (i, l) => {
              if (i === 2) {
                l.iat = at - 3600;
                l.dpop = oldProof;
              }
            },
          },
        })
      ).token,
      code: 'ERR_HOP_PROOF',
      invariant: 4,
    },
    {
      name: "bound hop proof reused on another chain (prev is not the proof's)",
      token: (
        await fed.issueChain({
          path: ['a', 'b', 'c'],
          now: at,
          bind: true,
          tamper: {
            linkClaims: (i, l) => {
              if (i === 2) {
                l.dpop = three.proofs[2];
                l.sbj = { ...l.sbj!, hash: three.linkClaims[2].sbj!.hash };
              }
            },
          },
        })
      ).token,
      code: 'ERR_HOP_PROOF',
      invariant: 4,
    },
    {
      name: 'unbound exchange hop proofs where requireBoundHopProofs is set',
      token: unbound.token,
      options: { requireBoundHopProofs: true },
      code: 'ERR_HOP_PROOF',
      invariant: 4,
    },
    {
      name: 'middle hop widens scope',
      token: (
        await fed.issueChain({
          path: ['a', 'b', 'c'],
          now: at,
          scope: ['read', 'read admin', 'read'],
        })
      ).token,
      code: 'ERR_ATTENUATION',
      invariant: 5,
    },
    {
      name: 'link spliced in from another chain',
      token: await resignToken(
        three.token,
        (t) => {
          t.baton.links = [three.links[0], other.links[1], three.links[2]];
        },
        c,
      ),
      code: 'ERR_LINKAGE',
      invariant: 6,
    },
    {
      name: 'act lies about the path',
      token: await resignToken(
        three.token,
        (t) => {
          t.act = { iss: 'https://c.example', sub: 'agent@c' };
        },
        c,
      ),
      code: 'ERR_ACT_MISMATCH',
      invariant: 7,
    },
    {
      name: 'domain visited twice (A→B→A)',
      token: (await fed.issueChain({ path: ['a', 'b', 'a'], now: at })).token,
      code: 'ERR_DOMAIN_REPEATED',
      invariant: 8,
    },
    {
      name: 'expired chain',
      token: (await fed.issueChain({ path: ['a', 'b'], now: NOW - 4000, ttl: 600 })).token,
      code: 'ERR_EXPIRED',
      invariant: 10,
    },
    {
      name: 'link presented as a token',
      token: three.links[2],
      code: 'ERR_MALFORMED',
      invariant: 0,
    },
  ];
  return {
    description:
      'Baton chain profile v1 test vectors. The private keys are TEST-ONLY fixtures, published on purpose; never use them elsewhere.',
    now: NOW,
    audience: fed.resource,
    keys: privateJwks,
    trust: DOMAINS.map((n) => ({
      issuer: fed.domains[n].issuer,
      tokenEndpoint: fed.domains[n].tokenEndpoint,
      algorithms: ['ES256'],
      jwks: fed.domains[n].jwks,
    })),
    valid: [
      {
        name: 'three hops A→B→C, scope narrowed at C, every exchange proof bound (baton_hop)',
        token: three.token,
        options: { requireBoundHopProofs: true },
        expect: await expectOf(three.token, true),
      },
      {
        name: 'three hops A→B→C with unbound hop proofs (a standard DPoP client)',
        token: unbound.token,
        expect: await expectOf(unbound.token),
      },
      { name: 'single origin hop at A', token: one.token, expect: await expectOf(one.token) },
    ],
    invalid,
  };
}

const load = (): Vectors => JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Vectors;
const trustOf = (v: Vectors) =>
  new TrustStore({
    issuers: v.trust.map((t) => ({
      issuer: t.issuer,
      tokenEndpoint: t.tokenEndpoint,
      algorithms: t.algorithms,
      keys: { jwks: t.jwks },
    })),
  });

describe.runIf(process.env['BATON_WRITE_VECTORS'] === '1')('vector generation', () => {
  it('writes docs/chain-vectors.json', async () => {
    const keys = (JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Vectors).keys;
    writeFileSync(VECTORS_PATH, `${JSON.stringify(await generateVectors(keys), null, 2)}\n`);
  });
});

describe('docs/chain-vectors.json', () => {
  it('every valid vector verifies at its fixed time with the stated result', async () => {
    const v = load();
    for (const vector of v.valid) {
      const r = await verifyChain(vector.token, {
        trust: trustOf(v),
        audience: v.audience,
        now: v.now,
        ...vector.options,
      });
      expect({
        depth: r.depth,
        scope: r.scope,
        linkHashes: r.linkHashes,
        tokenHash: r.tokenHash,
        ...(r.kind === 'chained' && r.claims.act ? { act: r.claims.act } : {}),
      }).toEqual(vector.expect);
    }
  });

  it('every invalid vector fails with its stated code and invariant', async () => {
    const v = load();
    for (const vector of v.invalid) {
      await expectChainError(
        () =>
          verifyChain(vector.token, {
            trust: trustOf(v),
            audience: v.audience,
            now: v.now,
            ...vector.options,
          }),
        vector.code,
        vector.invariant as 0,
      );
    }
  });

  it('the private keys match the published JWKS', () => {
    const v = load();
    for (const t of v.trust) {
      const name = new URL(t.issuer).hostname.split('.')[0];
      expect(t.jwks.keys[0].x).toBe(v.keys[name].x);
    }
  });
});

describe('docs/chain-spec.md matches the code', () => {
  const spec = () => readFileSync(SPEC_PATH, 'utf8');

  /** Blocks introduced by `<!-- example: <path> -->` followed by a ```json fence. */
  function examples(): Array<[string, unknown]> {
    const found: Array<[string, unknown]> = [];
    const re = /<!-- example: ([^ ]+) -->\s*```json\n([\s\S]*?)```/g;
    for (let m = re.exec(spec()); m !== null; m = re.exec(spec())) {
      found.push([m[1], JSON.parse(m[2])]);
    }
    return found;
  }

  it('states the decoded vector exactly in every example', () => {
    const v = load();
    const decoded = decodeChain(v.valid[0].token);
    const sources: Record<string, unknown> = {
      'token.header': decoded.header,
      'token.claims': decoded.claims,
      'link0.header': decoded.links[0].header,
      'link0.claims': decoded.links[0].claims,
      'link1.claims': decoded.links[1].claims,
      'link2.claims': decoded.links[2].claims,
    };
    const list = examples();
    expect(list.length).toBeGreaterThanOrEqual(4);
    for (const [path, value] of list) {
      expect(sources[path], path).toBeDefined();
      expect(shorten(sources[path]), path).toEqual(value);
    }
  });

  it('names every error code verifyChain and verifyDpopProof raise', () => {
    const text = spec();
    for (const code of [
      'ERR_MALFORMED',
      'ERR_UNTRUSTED_ISSUER',
      'ERR_SIGNATURE',
      'ERR_KEYS_UNAVAILABLE',
      'ERR_CONTINUITY',
      'ERR_AUDIENCE',
      'ERR_KEY_BINDING',
      'ERR_HOP_PROOF',
      'ERR_ATTENUATION',
      'ERR_LINKAGE',
      'ERR_ACT_MISMATCH',
      'ERR_DEPTH',
      'ERR_DOMAIN_REPEATED',
      'ERR_EXPIRED',
      'ERR_REVOKED',
      'ERR_INSUFFICIENT_SCOPE',
      'ERR_DPOP_PROOF',
      'ERR_DPOP_REPLAY',
      'ERR_DPOP_NONCE',
    ]) {
      expect(text, code).toContain(code);
    }
  });

  it('states the measured size per hop and the depth that fits 16 KiB', async () => {
    const names = Array.from({ length: 9 }, (_, i) => `domain-${String.fromCharCode(97 + i)}`);
    const fed = await createFederation({
      domains: names,
      resource: 'https://api.domain-z.example',
    });
    const sizes: number[] = [];
    for (let n = 1; n <= 9; n++) {
      sizes.push(
        (await fed.issueChain({ path: names.slice(0, n), scope: 'orders:read orders:write' })).token
          .length,
      );
    }
    const perHop = Math.round((sizes[8] - sizes[0]) / 8);
    const maxDepth = sizes.filter((s) => s <= DEFAULT_MAX_TOKEN_BYTES).length;
    const stated =
      /measured: first hop (\d+) bytes, each further hop (\d+) bytes, depth (\d+) fits/.exec(
        spec(),
      );
    expect(stated, 'measurement sentence in chain-spec.md').not.toBeNull();
    expect(Math.abs(Number(stated![1]) - sizes[0])).toBeLessThanOrEqual(40);
    expect(Math.abs(Number(stated![2]) - perHop)).toBeLessThanOrEqual(40);
    expect(Number(stated![3])).toBe(maxDepth);
  });
});

/** Examples elide long compact strings as "<first 12 chars>…"; apply the same to the decoded value. */
function shorten(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'string' && v.length > 120 ? `${v.slice(0, 12)}…` : v,
    ),
  );
}
