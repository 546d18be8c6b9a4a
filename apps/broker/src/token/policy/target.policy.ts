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

/** The audiences this domain may name at all: itself, its trusted peers and configured audiences. */
export interface TargetPolicy {
  readonly issuer: string;
  readonly knownAudiences: ReadonlySet<string>;
}

/**
 * Chooses the token's `aud`: this domain by default, else the requested target when this
 * domain may address it and, for a chain brought in by a peer, when that peer's
 * `allowedAudiences` lets it travel onward there.
 */
export function chooseAudience(
  target: string | undefined,
  policy: TargetPolicy,
  fromPeer?: { readonly issuer: string; readonly allowedAudiences: readonly string[] },
): string {
  if (target === undefined || target === policy.issuer) {
    return policy.issuer;
  }
  // RFC 8693 §2.2.2 / RFC 8707 §2: invalid_target when unwilling to issue for the target.
  if (!policy.knownAudiences.has(target)) {
    throw new OAuthError(
      'invalid_target',
      'the requested audience is not one this domain issues tokens for',
    );
  }
  if (fromPeer !== undefined && !fromPeer.allowedAudiences.includes(target)) {
    throw new OAuthError(
      'invalid_target',
      'policy for the presenting peer does not allow sending its chains to the requested audience',
    );
  }
  return target;
}

function isAbsoluteUriWithoutFragment(value: string): boolean {
  if (value.includes('#') || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) {
    return false;
  }
  return URL.canParse(value);
}

/** This domain's addressable audiences, from its configuration. */
export function targetPolicyOf(config: {
  readonly issuer: string;
  readonly peers: readonly { readonly issuer: string }[];
  readonly policy: { readonly audiences: readonly string[] };
}): TargetPolicy {
  return {
    issuer: config.issuer,
    knownAudiences: new Set([
      config.issuer,
      ...config.peers.map((peer) => peer.issuer),
      ...config.policy.audiences,
    ]),
  };
}
