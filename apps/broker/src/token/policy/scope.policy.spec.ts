import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../oauth/oauth-error.js';
import { grantScope } from './scope.policy.js';

const limits = [
  { name: "the subject token's scope", scopes: ['read', 'write', 'admin'] },
  { name: "the client's allowed scopes", scopes: ['read', 'write'] },
];

describe('grantScope', () => {
  it('grants the intersection of every limit when nothing is requested', () => {
    expect(grantScope(undefined, limits)).toEqual(['read', 'write']);
  });

  it('grants exactly the requested subset', () => {
    expect(grantScope(['write'], limits)).toEqual(['write']);
  });

  it('refuses a widening request naming the limit that refuses it', () => {
    expect(() => grantScope(['admin'], limits)).toThrowError(
      expect.objectContaining({
        error: 'invalid_scope',
        description: `scope admin exceeds the client's allowed scopes`,
      }) as Error,
    );
  });

  it('refuses when the limits leave nothing', () => {
    const error = (() => {
      try {
        grantScope(undefined, [...limits, { name: 'peer policy', scopes: ['other'] }]);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).error).toBe('invalid_scope');
  });
});
