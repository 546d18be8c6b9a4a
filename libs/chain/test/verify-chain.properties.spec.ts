import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ChainError, verifyChain } from '@baton/chain';
import { ACCESS_TOKEN_TYP, LINK_TYP } from '@baton/chain/protocol';
import {
  createAgent,
  createFederation,
  decodePayload,
  replacePayload,
  resignToken,
  signAs,
  type Agent,
  type Federation,
} from './fixtures/federation.js';

const NAMES = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'];
const SCOPES = ['read', 'write', 'admin', 'audit'];
let fed: Federation;
let stranger: Agent;

beforeAll(async () => {
  fed = await createFederation({ domains: NAMES, algs: { d3: 'EdDSA', d5: 'ES384' } });
  stranger = await createAgent();
});

/** A path of distinct domains with optional consecutive repeats (hops within one domain), length 1–8. */
const pathArb = (max: number) =>
  fc
    .tuple(
      fc.shuffledSubarray(NAMES, { minLength: 1, maxLength: max }),
      fc.array(fc.boolean(), { minLength: max, maxLength: max }),
    )
    .map(([domains, repeats]) =>
      domains.flatMap((d, i) => (repeats[i] ? [d, d] : [d])).slice(0, max),
    );

/** Per-hop scopes that only narrow. */
const scopesArb = fc
  .array(fc.subarray(SCOPES, { minLength: 1 }), { minLength: 8, maxLength: 8 })
  .map((sets) => {
    let current = SCOPES;
    return sets.map((set) => {
      const next = current.filter((s) => set.includes(s));
      current = next.length > 0 ? next : current.slice(0, 1);
      return current.join(' ');
    });
  });

const chainArb = (max: number) =>
  fc.record({
    path: pathArb(max),
    scope: scopesArb,
    ttl: fc.integer({ min: 60, max: 3600 }),
    clientIds: fc.array(fc.stringMatching(/^[a-z][a-z0-9@.-]{0,15}$/), {
      minLength: 8,
      maxLength: 8,
    }),
  });

const build = (spec: { path: string[]; scope: string[]; ttl: number; clientIds: string[] }) =>
  fed.issueChain({
    path: spec.path,
    scope: spec.scope,
    ttl: spec.ttl,
    clientId: (i) => spec.clientIds[i],
  });

describe('verifyChain properties', () => {
  it('accepts every honest chain of depth 1–8 (maxDepth 8)', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb(8), async (spec) => {
        const chain = await build(spec);
        const result = await verifyChain(
          chain.token,
          fed.verifyOptions({ maxDepth: 8, maxTokenBytes: 64 * 1024 }),
        );
        expect(result.depth).toBe(spec.path.length);
        expect(result.scope.join(' ')).toBe(spec.scope[spec.path.length - 1]);
      }),
      { numRuns: 60 },
    );
  });

  const LINK_FIELDS = [
    'v',
    'iss',
    'sub',
    'aud',
    'client_id',
    'scope',
    'iat',
    'exp',
    'jti',
    'cnf',
    'prev',
    'sbj',
    'dpop',
  ];
  const TOKEN_FIELDS = [
    'iss',
    'sub',
    'aud',
    'client_id',
    'scope',
    'iat',
    'exp',
    'jti',
    'cnf',
    'act',
    'baton',
  ];

  const valueArb = fc.oneof(
    fc.constantFrom<unknown>(
      undefined,
      null,
      '',
      0,
      'https://d0.example',
      'https://d7.example',
      'read write admin',
      { jkt: 'x' },
      [],
      {},
    ),
    fc.string({ maxLength: 20 }),
    fc.integer({ min: -5000, max: 5000 }),
    fc.constantFrom('shift-time', 'stranger-key', 'widen-scope', 'drop-link', 'extra-member'),
  );

  function mutate(claims: Record<string, unknown>, field: string, value: unknown): void {
    const old = claims[field];
    let next: unknown = value;
    if (value === 'shift-time' && typeof old === 'number') {
      next = old + 1;
    } else if (value === 'stranger-key' && field === 'cnf') {
      next = { jkt: stranger.jkt };
    } else if (value === 'widen-scope' && typeof old === 'string') {
      next = `${old} admin audit extra`;
    } else if (value === 'drop-link' && field === 'baton') {
      const links = (old as { links: string[] }).links;
      next = { v: 1, links: links.length > 1 ? links.slice(1) : [] };
    } else if (value === 'extra-member' && typeof old === 'object' && old !== null) {
      next = Array.isArray(old) ? [...(old as unknown[]), 'extra'] : { ...old, extra: 1 };
    } else if (typeof value === 'number' && typeof old === 'number') {
      next = old + (value === 0 ? 7 : value);
    }
    if (JSON.stringify(next) === JSON.stringify(old)) {
      next = typeof old === 'string' ? `${old}x` : 'changed';
    }
    if (next === undefined) {
      delete claims[field];
    } else {
      claims[field] = next;
    }
  }

  it('rejects any single mutation of any signed field of a link or the token', async () => {
    await fc.assert(
      fc.asyncProperty(
        chainArb(4),
        fc.nat(),
        fc.boolean(),
        fc.constantFrom<'resign' | 'keep'>('resign', 'keep'),
        fc.nat(),
        valueArb,
        async (spec, pick, onToken, mode, fieldPick, value) => {
          const chain = await build(spec);
          const issuerKey = (iss: string) =>
            Object.values(fed.domains).find((d) => d.issuer === iss)!.key;
          const presenter = issuerKey(chain.claims.iss);
          let token: string;
          if (onToken) {
            const field = TOKEN_FIELDS[fieldPick % TOKEN_FIELDS.length];
            const change = (c: Record<string, unknown>) => mutate(c, field, value);
            token =
              mode === 'keep'
                ? replacePayload(chain.token, change)
                : await resignToken(chain.token, change as never, presenter);
          } else {
            const index = pick % chain.links.length;
            const field = LINK_FIELDS[fieldPick % LINK_FIELDS.length];
            const change = (c: Record<string, unknown>) => mutate(c, field, value);
            let link: string;
            if (mode === 'keep') {
              link = replacePayload(chain.links[index], change);
            } else {
              const claims = decodePayload(chain.links[index]);
              change(claims);
              link = await signAs(claims, LINK_TYP, issuerKey(chain.linkClaims[index].iss));
            }
            const links = [...chain.links];
            links[index] = link;
            token = await resignToken(
              chain.token,
              (c) => {
                c.baton.links = links;
              },
              presenter,
            );
          }
          const outcome = await verifyChain(token, fed.verifyOptions({ maxDepth: 8 })).then(
            () => 'accepted',
            (error: unknown) =>
              error instanceof ChainError ? 'rejected' : `crashed: ${String(error)}`,
          );
          expect(outcome).toBe('rejected');
        },
      ),
      { numRuns: 100 },
    );
  });

  const TOKEN_REPEATS = ['iss', 'sub', 'aud', 'client_id', 'scope', 'iat', 'exp', 'jti', 'cnf'];
  const FORGED_FIELDS = ['v', 'iss', 'sub', 'aud', 'cnf', 'prev', 'sbj', 'dpop', 'status'];

  type OwnLinkMutation =
    | { on: 'link'; field: string; value: unknown }
    | { on: 'link-member'; path: [string, string]; value: string }
    | { on: 'token-member'; field: 'cnf' | 'baton' | 'act'; name: string }
    | { on: 'token-claim'; name: string; value: unknown };

  /** Changes a presenting domain could sign but an honest hop never carries (re-dating, narrowing and a new jti are honest). */
  const ownLinkMutationArb: fc.Arbitrary<OwnLinkMutation> = fc.oneof(
    fc.record({
      on: fc.constant('link' as const),
      field: fc.constantFrom(...FORGED_FIELDS),
      value: fc.oneof(valueArb, fc.constant('extra-member'), fc.constant('unbound-proof')),
    }),
    fc.record({
      on: fc.constant('link' as const),
      field: fc.constant('iat'),
      value: fc.oneof(fc.integer({ min: -5000, max: -31 }), fc.integer({ min: 331, max: 5000 })),
    }),
    fc.record({
      on: fc.constant('link' as const),
      field: fc.constant('exp'),
      value: fc.integer({ min: 1, max: 5000 }),
    }),
    fc.record({
      on: fc.constant('link' as const),
      field: fc.constantFrom('scope', 'client_id'),
      value: fc.constant('widen-scope'),
    }),
    fc.record({
      on: fc.constant('link-member' as const),
      path: fc.constantFrom<[string, string]>(
        ['cnf', 'jkt'],
        ['sbj', 'iss'],
        ['sbj', 'jti'],
        ['sbj', 'hash'],
        ['cnf', 'x5t#S256'],
        ['sbj', 'note'],
      ),
      value: fc.string({ minLength: 1, maxLength: 20 }),
    }),
    fc.record({
      on: fc.constant('token-member' as const),
      field: fc.constantFrom('cnf', 'baton', 'act'),
      name: fc.constantFrom('x', 'jwk', 'links2', 'client_id'),
    }),
    fc.record({
      on: fc.constant('token-claim' as const),
      name: fc.stringMatching(/^x_[a-z]{1,8}$/),
      value: fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant({ nested: true })),
    }),
  );

  async function mutateOwnLink(
    claims: Record<string, unknown>,
    field: string,
    value: unknown,
  ): Promise<void> {
    if (value === 'extra-member') {
      const old = claims[field];
      claims[field] = {
        ...(typeof old === 'object' && old !== null
          ? old
          : { status_list: { idx: 1, uri: 'https://d0.example/status' } }),
        extra: 1,
      };
    } else if (value === 'unbound-proof') {
      claims[field] = await fed.agent.proof({
        method: 'POST',
        url: `${String(claims['iss'])}/token`,
        iat: claims['iat'] as number,
      });
    } else if (field === 'iat' || field === 'exp') {
      claims[field] = (claims[field] as number) + (value as number);
    } else {
      mutate(claims, field, value);
    }
  }

  it('rejects every change a presenting domain signs into its own link and the token, except extra top-level token claims', async () => {
    let allowedExtras = 0;
    await fc.assert(
      fc.asyncProperty(
        chainArb(4).filter((spec) => spec.path.length >= 2),
        ownLinkMutationArb,
        async (spec, mutation) => {
          const chain = await fed.issueChain({
            path: spec.path,
            scope: spec.scope,
            ttl: spec.ttl,
            clientId: (i) => spec.clientIds[i],
            bind: true,
          });
          const last = chain.links.length - 1;
          const presenter = Object.values(fed.domains).find((d) => d.issuer === chain.claims.iss)!;
          const link = decodePayload(chain.links[last]);
          const token = decodePayload(chain.token);
          if (mutation.on === 'link') {
            await mutateOwnLink(link, mutation.field, mutation.value);
            if (TOKEN_REPEATS.includes(mutation.field)) {
              token[mutation.field] = link[mutation.field];
            }
          } else if (mutation.on === 'link-member') {
            const [outer, inner] = mutation.path;
            const holder = (link[outer] ?? {}) as Record<string, unknown>;
            holder[inner] =
              holder[inner] === mutation.value ? `${mutation.value}x` : mutation.value;
            link[outer] = holder;
            if (outer === 'cnf') {
              token['cnf'] = structuredClone(holder);
            }
          } else if (mutation.on === 'token-member') {
            token[mutation.field] = { ...(token[mutation.field] as object), [mutation.name]: 'x' };
          } else {
            token[mutation.name] = mutation.value;
          }
          const links = [...chain.links];
          links[last] = await signAs(link, LINK_TYP, presenter.key);
          (token['baton'] as { links: string[] }).links = links;
          const signed = await signAs(token, ACCESS_TOKEN_TYP, presenter.key);
          const outcome = await verifyChain(
            signed,
            fed.verifyOptions({ maxDepth: 8, requireBoundHopProofs: true }),
          ).then(
            () => 'accepted',
            (error: unknown) =>
              error instanceof ChainError ? 'rejected' : `crashed: ${String(error)}`,
          );
          if (mutation.on === 'token-claim') {
            allowedExtras++;
            expect(outcome, JSON.stringify(mutation)).toBe('accepted');
          } else {
            expect(outcome, JSON.stringify(mutation)).toBe('rejected');
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(allowedExtras).toBeGreaterThan(0);
  });
});
