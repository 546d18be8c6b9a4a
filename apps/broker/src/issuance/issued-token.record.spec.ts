import { expect, it } from 'vitest';
import { OAuthError } from '../oauth/oauth-error.js';
import { checkRecordable, MAX_RECORDED_JTI, MAX_RECORDED_SUB } from './issued-token.record.js';

function refusal(sub: string, parentJti?: string): OAuthError | undefined {
  try {
    checkRecordable(sub, parentJti);
    return undefined;
  } catch (error) {
    return error as OAuthError;
  }
}

it('keeps a sub and a parent jti that fit their columns and hold no control character', () => {
  expect(refusal('agent')).toBeUndefined();
  expect(refusal('x'.repeat(MAX_RECORDED_SUB), 'j'.repeat(MAX_RECORDED_JTI))).toBeUndefined();
  expect(refusal('ünïcødé 🔑 agent', 'jti-é')).toBeUndefined();
});

it('refuses, naming the claim, a sub or parent jti too long or holding a control character', () => {
  for (const sub of [
    'x'.repeat(MAX_RECORDED_SUB + 1),
    'a\u0000b',
    'a\nb',
    'a\u001bb',
    'a\u007fb',
  ]) {
    expect(refusal(sub)).toMatchObject({ error: 'invalid_grant', description: /sub/ });
  }
  for (const jti of ['j'.repeat(MAX_RECORDED_JTI + 1), 'j\u0000', 'j\r']) {
    expect(refusal('agent', jti)).toMatchObject({ error: 'invalid_grant', description: /jti/ });
  }
});
