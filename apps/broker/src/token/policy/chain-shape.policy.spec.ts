import { describe, expect, it } from 'vitest';
import { capExpiry, checkChainShape, checkTargetNotRevisited } from './chain-shape.policy.js';

const [A, B, C] = ['https://a.example', 'https://b.example', 'https://c.example'];

describe('chain shape policy', () => {
  it('accepts a hop within one domain and a new domain', () => {
    expect(() => checkChainShape([A, A], B, 5)).not.toThrow();
    expect(() => checkChainShape([A, B], B, 5)).not.toThrow();
  });

  it('refuses a revisit (A → B → A) as invalid_grant', () => {
    expect(() => checkChainShape([A, B], A, 5)).toThrowError(
      expect.objectContaining({ error: 'invalid_grant' }) as Error,
    );
  });

  it('counts the new link against the depth limit', () => {
    expect(() => checkChainShape([A, B], C, 3)).not.toThrow();
    expect(() => checkChainShape([A, B, C], C, 3)).toThrowError(/maximum depth of 3/);
  });

  it('refuses addressing a domain already on the chain, but not this domain itself', () => {
    expect(() => checkTargetNotRevisited([A, B], B, A)).toThrowError(
      expect.objectContaining({ error: 'invalid_target' }) as Error,
    );
    expect(() => checkTargetNotRevisited([A, B], B, B)).not.toThrow();
  });

  it('never extends the subject expiry nor passes the maximum lifetime', () => {
    expect(capExpiry(1000, 300)).toBe(1300);
    expect(capExpiry(1000, 600, 5000)).toBe(1600);
    expect(capExpiry(1000, 3600, 1200)).toBe(1200);
    expect(() => capExpiry(1000, 300, 1000)).toThrowError(
      expect.objectContaining({ error: 'invalid_grant' }) as Error,
    );
  });
});
