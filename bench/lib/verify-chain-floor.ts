import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, type JWK } from 'jose';
import { LinkCache, verifyChain, type VerifyChainOptions } from '@baton/chain';
import { createFederation } from '../../libs/chain/test/fixtures/federation.js';

const DOMAINS = ['a', 'b', 'c', 'd', 'e'];

/** One chain and what verifying it costs at the floor: node:crypto over every signature. */
export interface ChainCase {
  depth: number;
  signatures: number;
  tokenBytes: number;
  floor: () => void;
  cold: () => Promise<unknown>;
  warm: () => Promise<unknown>;
}

export async function chainCase(depth: number): Promise<ChainCase> {
  const fed = await createFederation({ domains: DOMAINS.slice(0, depth) });
  const chain = await fed.issueChain({ ttl: 3600 });
  const keyByKid = new Map<string, KeyObject>();
  for (const domain of Object.values(fed.domains)) {
    keyByKid.set(domain.key.kid, publicKey(domain.publicJwk));
  }
  const agentKey = publicKey(fed.agent.publicJwk);
  const signed: [Buffer, Buffer, KeyObject][] = [chain.token, ...chain.links, ...chain.proofs].map(
    (jws, i) => {
      const key =
        i <= chain.links.length ? keyByKid.get(decodeProtectedHeader(jws).kid ?? '') : agentKey;
      if (key === undefined) {
        throw new Error('fixture key missing');
      }
      const [header, payload, signature] = jws.split('.');
      return [Buffer.from(`${header}.${payload}`), Buffer.from(signature, 'base64url'), key];
    },
  );
  const coldOptions: VerifyChainOptions = fed.verifyOptions();
  const warmOptions: VerifyChainOptions = fed.verifyOptions({ linkCache: new LinkCache() });
  await verifyChain(chain.token, coldOptions);
  await verifyChain(chain.token, warmOptions);
  return {
    depth,
    signatures: signed.length,
    tokenBytes: chain.token.length,
    floor: () => {
      for (const [data, signature, key] of signed) {
        if (!verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
          throw new Error('floor signature invalid');
        }
      }
    },
    cold: () => verifyChain(chain.token, coldOptions),
    warm: () => verifyChain(chain.token, warmOptions),
  };
}

function publicKey(jwk: JWK): KeyObject {
  return createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
}

const WARM_UP_CALLS = 100;

/**
 * Mean CPU milliseconds per call of the floor, cold and warm verification (this process's CPU
 * time, all threads, so garbage collection counts), measured in alternating blocks of 10 calls.
 * CPU time rather than wall time: other processes on a shared machine then delay a block
 * without adding to its cost.
 */
export async function timeInterleaved(
  c: ChainCase,
  iterations: number,
): Promise<{ floor: number; cold: number; warm: number }> {
  const runs = { floor: c.floor, cold: c.cold, warm: c.warm };
  const totals = { floor: 0, cold: 0, warm: 0 };
  // Steady state, as in a server: every path optimised by the JIT before the first block.
  for (const run of Object.values(runs)) {
    for (let i = 0; i < WARM_UP_CALLS; i += 1) {
      await run();
    }
  }
  const blocks = Math.max(1, Math.round(iterations / 10));
  for (let block = 0; block < blocks; block += 1) {
    for (const name of ['floor', 'cold', 'warm'] as const) {
      const start = process.cpuUsage();
      for (let i = 0; i < 10; i += 1) {
        await runs[name]();
      }
      const used = process.cpuUsage(start);
      totals[name] += (used.user + used.system) / 1000;
    }
  }
  const calls = blocks * 10;
  return { floor: totals.floor / calls, cold: totals.cold / calls, warm: totals.warm / calls };
}
