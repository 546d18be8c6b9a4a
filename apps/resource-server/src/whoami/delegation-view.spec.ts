import { describe, expect, it } from 'vitest';
import type { VerifiedRequest } from '@baton/chain';
import { toDelegationView } from './delegation-view.js';

describe('toDelegationView', () => {
  it('never throws on a time without a calendar form (exp = 9e15): it shows null', () => {
    const hop = { index: 0, domain: 'https://a.example', actor: 'agent', audience: 'x', scope: [] };
    const verified = {
      subject: 'agent',
      agentKeyThumbprint: 'jkt',
      originIssuer: 'https://a.example',
      claims: { iss: 'https://a.example', aud: 'x' },
      scope: [],
      depth: 1,
      hops: [{ ...hop, iat: 1_767_225_600, exp: 9e15, jti: 'j' }],
      proof: { htm: 'GET', htu: 'https://api.example/api/whoami', iat: 1, jti: 'p' },
    } as unknown as VerifiedRequest;
    const view = toDelegationView(verified);
    expect(view.hops[0]).toMatchObject({ issuedAt: '2026-01-01T00:00:00.000Z', expiresAt: null });
  });
});
