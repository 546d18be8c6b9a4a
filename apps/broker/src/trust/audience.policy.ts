import { OAuthError } from '../oauth/oauth-error.js';

/** The audiences this domain may name at all: itself, its trusted peers and configured audiences. */
export interface TargetPolicy {
  readonly issuer: string;
  readonly knownAudiences: ReadonlySet<string>;
}

/**
 * Chooses the token's `aud`: this domain by default, else the requested target when this
 * domain may address it and the `allowedAudiences` of every peer the chain came through let it
 * travel onward there.
 */
export function chooseAudience(
  target: string | undefined,
  policy: TargetPolicy,
  upstreamPeers: readonly {
    readonly issuer: string;
    readonly allowedAudiences: readonly string[];
  }[] = [],
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
  const refusing = upstreamPeers.find((peer) => !peer.allowedAudiences.includes(target));
  if (refusing !== undefined) {
    throw new OAuthError(
      'invalid_target',
      'policy for the presenting peer or an earlier one does not allow sending its chains to the requested audience',
      { detail: `peer ${refusing.issuer} does not allow audience ${target}` },
    );
  }
  return target;
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
