import { describe, expect, it } from 'vitest';
import { checkChainPath, DepthError } from '@baton/chain';

const [A, B, C] = ['https://a.example', 'https://b.example', 'https://c.example'];

function codeOf(issuers: string[], maxDepth = 5): string | undefined {
  try {
    checkChainPath(issuers, maxDepth);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DepthError);
    expect((error as DepthError).invariant).toBe(8);
    return (error as DepthError).code;
  }
}

describe('checkChainPath (invariant 8, shared by verifyChain and brokers)', () => {
  it('accepts a hop within one domain and a path through new domains', () => {
    expect(codeOf([A])).toBeUndefined();
    expect(codeOf([A, A, B, C])).toBeUndefined();
    expect(codeOf([A, B, B, C, C])).toBeUndefined();
  });

  it('rejects a loop back to an earlier domain (A → B → A)', () => {
    expect(codeOf([A, B, A])).toBe('ERR_DOMAIN_REPEATED');
    expect(codeOf([A, A, B, C, A])).toBe('ERR_DOMAIN_REPEATED');
  });

  it('rejects more links than maxDepth, counting repeats within a domain', () => {
    expect(codeOf([A, A, B], 3)).toBeUndefined();
    expect(codeOf([A, A, B, B], 3)).toBe('ERR_DEPTH');
  });
});
