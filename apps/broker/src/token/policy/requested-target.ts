import { OAuthError } from '../../oauth/oauth-error.js';
import type { TokenForm } from '../token-form.js';

/**
 * The one target a token request names through RFC 8707 `resource` and/or RFC 8693 `audience`.
 * A Baton token has a single `aud`, so two different targets are refused.
 */
export function requestedTarget(form: TokenForm): string | undefined {
  const resource = form.get('resource');
  const audience = form.get('audience');
  if (resource !== undefined) {
    // RFC 8707 §2: resource is an absolute URI and MUST NOT include a fragment.
    if (!isAbsoluteUriWithoutFragment(resource)) {
      throw new OAuthError('invalid_target', 'resource must be an absolute URI without a fragment');
    }
  }
  if (resource !== undefined && audience !== undefined && resource !== audience) {
    throw new OAuthError(
      'invalid_target',
      'audience and resource name different targets; one token has one audience',
    );
  }
  return audience ?? resource;
}

function isAbsoluteUriWithoutFragment(value: string): boolean {
  if (value.includes('#') || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) {
    return false;
  }
  return URL.canParse(value);
}
