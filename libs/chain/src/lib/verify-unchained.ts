import { ContinuityError, KeyBindingError, MalformedChainError } from './errors.js';
import type { IssuerTrust } from './issuer-trust.js';
import { checkDomainSignature } from './check-signatures.js';
import { checkLifetime } from './check-status.js';
import { sha256Base64url } from './hash.js';
import { isNonEmptyString, isNumericDate, isObject, parseScope } from './json.js';
import {
  CHAIN_CLAIM,
  type MayActClaim,
  type OriginTokenClaims,
  type VerifiedOriginToken,
} from '../protocol/index.js';
import { checkMayAct, type DecodedJws } from './parse-chain.js';

export interface UnchainedPolicy {
  trust: IssuerTrust;
  audience: readonly string[];
  now: number;
  clockSkew: number;
  allowUnchained: boolean;
}

/**
 * An origin issuer's DPoP-bound RFC 9068 token with no chain claim, accepted only where the
 * caller allows it (a broker starting a chain). Same invariants where they apply: 1, 2
 * (audience), 3 (`cnf.jkt` present) and 10.
 */
export async function verifyUnchained(
  token: DecodedJws,
  policy: UnchainedPolicy,
): Promise<VerifiedOriginToken> {
  const claims = token.payload;
  if (!policy.allowUnchained) {
    throw new MalformedChainError('token carries no chain', { claim: CHAIN_CLAIM });
  }
  // RFC 9068 §2.2: required claims of a JWT access token.
  for (const name of ['iss', 'sub', 'client_id', 'jti'] as const) {
    if (!isNonEmptyString(claims[name])) {
      throw new MalformedChainError('token claim missing or malformed', { claim: name });
    }
  }
  const { iss, sub, aud, iat, exp, scope, cnf, client_id, jti, may_act } = claims as Record<
    string,
    unknown
  > & { iss: string; sub: string; client_id: string; jti: string };
  if (!isNumericDate(iat) || !isNumericDate(exp)) {
    throw new MalformedChainError('token claim missing or malformed', {
      claim: isNumericDate(iat) ? 'exp' : 'iat',
    });
  }
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (audiences.length === 0 || !audiences.every((a) => isNonEmptyString(a))) {
    throw new MalformedChainError('token claim missing or malformed', { claim: 'aud' });
  }
  if (scope !== undefined && typeof scope !== 'string') {
    throw new MalformedChainError('token claim missing or malformed', { claim: 'scope' });
  }
  await checkDomainSignature(token, iss, 'origin', policy.trust);
  if (!audiences.some((a) => policy.audience.includes(a))) {
    throw new ContinuityError('ERR_AUDIENCE', 'token not issued for this audience', {
      claim: 'aud',
      expected: policy.audience,
    });
  }
  // RFC 9449 §6.1: the token must be bound to a key.
  if (!isObject(cnf) || !isNonEmptyString(cnf['jkt'], 128)) {
    throw new KeyBindingError('token is not key-bound', { claim: 'cnf.jkt' });
  }
  checkMayAct(may_act);
  checkLifetime({ iat, exp, nbf: claims['nbf'] }, policy.now, policy.clockSkew);
  const origin: OriginTokenClaims = {
    iss,
    sub,
    aud: typeof aud === 'string' ? aud : audiences,
    client_id,
    jti,
    iat,
    exp,
    ...(scope === undefined ? {} : { scope }),
    cnf: { jkt: cnf['jkt'] },
    ...(may_act === undefined ? {} : { may_act: may_act as MayActClaim }),
  };
  return {
    kind: 'origin',
    claims: origin,
    subject: sub,
    agentKeyThumbprint: cnf['jkt'],
    originIssuer: iss,
    hops: [],
    scope: parseScope(scope ?? ''),
    depth: 0,
    links: [],
    compactLinks: [],
    linkHashes: [],
    tokenHash: sha256Base64url(token.compact),
  };
}
