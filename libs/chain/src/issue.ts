import { SignJWT, type CryptoKey, type JWTPayload, type KeyObject } from 'jose';
import { sha256Base64url } from './lib/hash.js';
import {
  ACCESS_TOKEN_TYP,
  CHAIN_CLAIM,
  CHAIN_PROFILE_VERSION,
  LINK_TYP,
  type ActorClaim,
  type DelegatedTokenClaims,
  type DomainSigningAlgorithm,
  type LinkClaims,
} from './protocol/index.js';

/** A domain's signing key as the issuance helpers take it; `kid` is the RFC 7638 thumbprint. */
export interface SigningKey {
  privateKey: CryptoKey | KeyObject;
  kid: string;
  alg: DomainSigningAlgorithm;
}

/**
 * base64url(SHA-256(ASCII of a compact JWS)) — the value of a link's `prev` and `sbj.hash`.
 *
 * @example hashCompact(links[0]) === decodeChain(token).links[1].claims.prev
 */
export function hashCompact(compact: string): string {
  return sha256Base64url(compact);
}

/**
 * Signs one link (`typ: baton-link+jwt`, docs/chain-spec.md §3). Does not check the claims:
 * the caller builds them from a verified subject token.
 */
export function signLink(claims: LinkClaims, key: SigningKey): Promise<string> {
  return sign(claims, LINK_TYP, key);
}

/**
 * Signs a delegated access token (`typ: at+jwt`, RFC 9068 §2.1). Does not check that the claims
 * equal the token's own last link; verifyChain does.
 */
export function signDelegatedToken(claims: DelegatedTokenClaims, key: SigningKey): Promise<string> {
  return sign(claims, ACCESS_TOKEN_TYP, key);
}

/**
 * The `act` claim after one more exchange hop (RFC 8693 §4.1): the new hop outermost, the
 * previous nesting inside it.
 *
 * @example nestAct({ iss: 'https://a.example', sub: 'agent' }, { iss: 'https://b.example', sub: 'agent@b' })
 */
export function nestAct(
  previous: ActorClaim | undefined,
  hop: { iss: string; sub: string },
): ActorClaim {
  return previous === undefined
    ? { iss: hop.iss, sub: hop.sub }
    : { iss: hop.iss, sub: hop.sub, act: previous };
}

/**
 * The claims of the token issued with `link` (docs/chain-spec.md §2): equal to the link's own,
 * plus `act` and the chain `links` (oldest first, ending with `link`'s compact form). Brokers and
 * test fixtures build tokens only through this, so they issue exactly what verifyChain expects.
 */
export function delegatedTokenClaims(
  link: LinkClaims,
  links: readonly string[],
  act: ActorClaim | undefined,
): DelegatedTokenClaims {
  return {
    iss: link.iss,
    sub: link.sub,
    aud: link.aud,
    client_id: link.client_id,
    scope: link.scope,
    iat: link.iat,
    exp: link.exp,
    jti: link.jti,
    cnf: { jkt: link.cnf.jkt },
    ...(act === undefined ? {} : { act }),
    [CHAIN_CLAIM]: { v: CHAIN_PROFILE_VERSION, links: [...links] },
  };
}

function sign(claims: object, typ: string, key: SigningKey): Promise<string> {
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader({ alg: key.alg, typ, kid: key.kid })
    .sign(key.privateKey);
}
