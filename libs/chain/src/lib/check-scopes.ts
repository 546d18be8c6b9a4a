import { InsufficientScopeError } from './errors.js';

/** Every scope the caller requires is granted (RFC 6750 §3.1 insufficient_scope names them). */
export function checkRequiredScopes(
  granted: readonly string[],
  required: readonly string[] | undefined,
): void {
  const missing = (required ?? []).filter((scope) => !granted.includes(scope));
  if (missing.length > 0) {
    throw new InsufficientScopeError('required scope not granted', {
      claim: 'scope',
      expected: [...(required ?? [])],
      actual: missing,
    });
  }
}
