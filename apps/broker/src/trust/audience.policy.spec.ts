import { describe, expect, it } from 'vitest';
import { requestedTarget } from '../token/policy/requested-target.js';
import { chooseAudience, targetPolicyOf } from './audience.policy.js';

const policy = targetPolicyOf({
  issuer: 'https://a.example',
  peers: [{ issuer: 'https://b.example' }],
  policy: { audiences: ['https://api.example'] },
});
const form = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('target policy', () => {
  it('requires resource to be an absolute URI without fragment (RFC 8707 §2)', () => {
    expect(requestedTarget(form({ resource: 'https://api.example/v1' }))).toBe(
      'https://api.example/v1',
    );
    for (const resource of ['api/v1', 'https://api.example/#x', '//api.example']) {
      expect(() => requestedTarget(form({ resource }))).toThrowError(
        expect.objectContaining({ error: 'invalid_target' }) as Error,
      );
    }
  });

  it('refuses audience and resource naming different targets', () => {
    expect(() =>
      requestedTarget(form({ resource: 'https://api.example', audience: 'https://b.example' })),
    ).toThrowError(expect.objectContaining({ error: 'invalid_target' }) as Error);
  });

  it('defaults to this domain and allows known audiences only', () => {
    expect(chooseAudience(undefined, policy)).toBe('https://a.example');
    expect(chooseAudience('https://b.example', policy)).toBe('https://b.example');
    expect(() => chooseAudience('https://evil.example', policy)).toThrowError(
      expect.objectContaining({ error: 'invalid_target' }) as Error,
    );
  });

  it("applies the presenting peer's allowedAudiences to onward targets, not to this domain", () => {
    const peer = { issuer: 'https://b.example', allowedAudiences: ['https://api.example'] };
    expect(chooseAudience('https://api.example', policy, [peer])).toBe('https://api.example');
    expect(chooseAudience('https://a.example', policy, [peer])).toBe('https://a.example');
    expect(() =>
      chooseAudience('https://b.example', policy, [peer, { ...peer, allowedAudiences: [] }]),
    ).toThrowError(/presenting peer/);
  });
});
