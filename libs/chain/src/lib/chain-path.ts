import { DepthError } from './errors.js';

/**
 * Invariant 8 (docs/chain-spec.md §5 step 8) on the issuers of a chain's links, oldest first:
 * at most `maxDepth` links, and no domain twice once consecutive repeats are collapsed
 * (A,A,B,C → A,B,C is fine; A,B,A is a loop). verifyChain applies it to a presented chain; a
 * broker applies it to the chain it is about to issue (the subject's link issuers plus itself),
 * so both refuse exactly the same shapes.
 *
 * Does not check anything but the sequence of issuer strings: not that they are trusted, nor
 * that the links join up (invariants 1 and 2).
 *
 * @example
 * checkChainPath(['https://a.example', 'https://a.example', 'https://b.example'], 5); // passes
 * checkChainPath(['https://a.example', 'https://b.example', 'https://a.example'], 5); // throws
 * @throws DepthError `ERR_DEPTH` (too many links) or `ERR_DOMAIN_REPEATED` (detail.link, detail.issuer).
 */
export function checkChainPath(issuers: readonly string[], maxDepth: number): void {
  if (issuers.length > maxDepth) {
    throw new DepthError('ERR_DEPTH', 'chain too deep', {
      expected: maxDepth,
      actual: issuers.length,
    });
  }
  const seen = new Set<string>();
  issuers.forEach((issuer, i) => {
    // A hop within one domain (A→A) is not a revisit.
    if (i > 0 && issuers[i - 1] === issuer) {
      return;
    }
    if (seen.has(issuer)) {
      throw new DepthError('ERR_DOMAIN_REPEATED', 'domain appears twice in the chain', {
        link: i,
        issuer,
      });
    }
    seen.add(issuer);
  });
}
