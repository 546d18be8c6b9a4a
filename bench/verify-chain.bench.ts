/**
 * What verifying a whole chain costs, against the cryptographic floor measured in the same run:
 * jose ES256 verification of every signature the chain carries (the token, each link and each
 * hop proof), with every key imported once. Run with `npm run bench`; results go to
 * docs/performance.md as ratios, never as absolute targets (the machines are shared).
 */
import { compactVerify, decodeProtectedHeader, importJWK, type CryptoKey } from 'jose';
import { bench, describe } from 'vitest';
import { LinkCache, verifyChain } from '@baton/chain';
import { createFederation } from '../libs/chain/test/fixtures/federation.js';

const DOMAINS = ['a', 'b', 'c', 'd', 'e'];

async function scenario(depth: number) {
  const fed = await createFederation({ domains: DOMAINS.slice(0, depth) });
  const chain = await fed.issueChain({ ttl: 3600 });
  const keyByKid = new Map<string, CryptoKey>();
  for (const domain of Object.values(fed.domains)) {
    keyByKid.set(domain.key.kid, (await importJWK(domain.publicJwk, domain.key.alg)) as CryptoKey);
  }
  const agentKey = (await importJWK(fed.agent.publicJwk, fed.agent.alg)) as CryptoKey;
  const signatures: [string, CryptoKey][] = [chain.token, ...chain.links].map((jws) => {
    const key = keyByKid.get(decodeProtectedHeader(jws).kid ?? '');
    if (!key) throw new Error('fixture key missing');
    return [jws, key];
  });
  for (const proof of chain.proofs) signatures.push([proof, agentKey]);

  const cold = fed.verifyOptions();
  const warm = fed.verifyOptions({ linkCache: new LinkCache() });
  await verifyChain(chain.token, cold);
  await verifyChain(chain.token, warm);
  return { chain, signatures, cold, warm };
}

for (const depth of [1, 3, 5]) {
  const { chain, signatures, cold, warm } = await scenario(depth);
  describe(`depth ${depth} (${signatures.length} signatures, ${chain.token.length} bytes)`, () => {
    bench('floor: jose verify of every signature, keys imported once', async () => {
      for (const [jws, key] of signatures) await compactVerify(jws, key);
    });
    bench('verifyChain, no link cache', async () => {
      await verifyChain(chain.token, cold);
    });
    bench('verifyChain, warm link cache', async () => {
      await verifyChain(chain.token, warm);
    });
  });
}
