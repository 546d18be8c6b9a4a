import { OAuthError } from '../../oauth/oauth-error.js';
import type { ScopeLimit } from '../../trust/chain-policy.js';

/**
 * Attenuation (docs/chain-spec.md §5 step 5): the granted scope is the requested scope when every
 * limit allows all of it, or, when nothing was requested, what every limit allows (in the
 * first limit's order). A request for more than a limit allows is refused, never trimmed.
 */
export function grantScope(
  requested: readonly string[] | undefined,
  limits: readonly ScopeLimit[],
): string[] {
  if (requested !== undefined) {
    for (const scope of requested) {
      const refusing = limits.find((limit) => !limit.scopes.includes(scope));
      // RFC 6749 §5.2 invalid_scope: the requested scope exceeds what may be granted.
      if (refusing !== undefined) {
        throw new OAuthError('invalid_scope', `scope ${shortened(scope)} exceeds ${refusing.name}`);
      }
    }
    return [...requested];
  }
  const [first, ...rest] = limits;
  const granted = (first?.scopes ?? []).filter((scope) =>
    rest.every((limit) => limit.scopes.includes(scope)),
  );
  if (granted.length === 0) {
    throw new OAuthError(
      'invalid_scope',
      `no scope is allowed by ${limits.map((limit) => limit.name).join(', ')} together`,
    );
  }
  return [...new Set(granted)];
}

/**
 * RFC 6749 §5.2: error_description excludes `"` and backslash; a scope token has neither (§3.3), so
 * it is named bare, and shortened so a huge parameter is never echoed whole.
 */
function shortened(scope: string): string {
  return scope.length <= 64 ? scope : `${scope.slice(0, 61)}...`;
}
