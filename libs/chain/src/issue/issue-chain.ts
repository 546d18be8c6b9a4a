import type { CryptoKey, KeyObject } from 'jose';
import { checkChainPath } from '../lib/chain-path.js';
import { MalformedChainError } from '../lib/errors.js';
import { sha256Base64url } from '../lib/hash.js';
import { signCompactJws } from './sign-jws.js';
import {
  ACCESS_TOKEN_TYP,
  CHAIN_CLAIM,
  CHAIN_PROFILE_VERSION,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_TOKEN_BYTES,
  LINK_TYP,
  nestAct,
  type ActorClaim,
  type DelegatedTokenClaims,
  type DomainSigningAlgorithm,
  type LinkClaims,
  type StatusReference,
  type VerifiedChain,
} from '../protocol/index.js';

/** A domain's signing key as the issuance helpers take it; `kid` is the RFC 7638 thumbprint. */
export interface SigningKey {
  privateKey: CryptoKey | KeyObject;
  kid: string;
  alg: DomainSigningAlgorithm;
}

/** What the issuing domain decided for one hop; the chain-derived claims are added here. */
export interface ChainHop {
  /** The issuing domain. */
  iss: string;
  sub: string;
  aud: string;
  /** The client authenticated at this hop. */
  client_id: string;
  /** Space-separated, already narrowed to what the subject token allows. */
  scope: string;
  iat: number;
  exp: number;
  jti: string;
  /** RFC 7638 thumbprint of the agent key the token is bound to (RFC 9449 §6.1). */
  jkt: string;
  /** The agent's compact DPoP proof accepted for this hop (invariant 4). */
  dpop: string;
  /** Token Status List entry of this hop, set before the link is signed. */
  status?: StatusReference;
}

export interface IssueChainOptions {
  /** Most links the issued chain may have. Default DEFAULT_MAX_DEPTH (5). */
  maxDepth?: number;
  /** Largest token issued; verifiers refuse bigger ones. Default DEFAULT_MAX_TOKEN_BYTES. */
  maxTokenBytes?: number;
}

/** A signed token and its new link, with the hashes an issuer records. */
export interface IssuedChain {
  token: string;
  claims: DelegatedTokenClaims;
  link: LinkClaims;
  /** base64url SHA-256 of every compact link, oldest first; the last is the new link's. */
  linkHashes: string[];
  tokenHash: string;
}

/**
 * Starts a chain (docs/chain-spec.md §3, first link): one link with no `prev`, no `sbj` and no
 * `act`, and the token carrying it. Does not check the hop's claims against any policy.
 *
 * @example const issued = await originChain({ iss, sub, aud, client_id, scope, iat, exp, jti, jkt, dpop }, key);
 * @throws MalformedChainError `ERR_MALFORMED` (claim `size`) when the token would be too large.
 */
export function originChain(
  hop: ChainHop,
  key: SigningKey,
  options: IssueChainOptions = {},
): Promise<IssuedChain> {
  return issue(linkClaims(hop, {}), [], [], undefined, key, options);
}

/**
 * Extends a verified subject token by one hop (docs/chain-spec.md §3): the link names the
 * subject token in `sbj`, hashes its last link into `prev` (none when the subject is an origin
 * token), keeps its `sub`, and the token nests one more `act` level (RFC 8693 §4.1). The result
 * passes verifyChain's structural invariants (2, 6, 7, 8) by construction.
 *
 * Does not check attenuation (scope and expiry narrowing) or the agent key: the caller decides
 * `scope`, `exp` and `jkt` under its policy, and verifiers check them.
 *
 * @example const next = await extendChain(await verifyChain(subjectToken, options), hop, key);
 * @throws DepthError (`ERR_DEPTH`, `ERR_DOMAIN_REPEATED`) or MalformedChainError (claim `size`).
 */
export function extendChain(
  subject: VerifiedChain,
  hop: Omit<ChainHop, 'sub'>,
  key: SigningKey,
  options: IssueChainOptions = {},
): Promise<IssuedChain> {
  checkChainPath(
    [...subject.links.map((l) => l.iss), hop.iss],
    options.maxDepth ?? DEFAULT_MAX_DEPTH,
  );
  const prev = subject.linkHashes[subject.linkHashes.length - 1];
  const link = linkClaims(
    { ...hop, sub: subject.subject },
    {
      ...(prev === undefined ? {} : { prev }),
      sbj: { iss: subject.claims.iss, jti: subject.claims.jti, hash: subject.tokenHash },
    },
  );
  const act = nestAct(subject.kind === 'chained' ? subject.claims.act : undefined, {
    iss: link.iss,
    sub: link.client_id,
  });
  return issue(link, subject.compactLinks, subject.linkHashes, act, key, options);
}

/**
 * Signs one link (`typ: baton-link+jwt`, docs/chain-spec.md §3) as given. For test fixtures
 * that build chains by hand; brokers use originChain and extendChain.
 */
export function signLink(claims: LinkClaims, key: SigningKey): Promise<string> {
  return sign(claims, LINK_TYP, key);
}

/**
 * Signs a delegated access token (`typ: at+jwt`, RFC 9068 §2.1) as given. Does not check that
 * the claims equal the token's own last link; verifyChain does.
 */
export function signDelegatedToken(claims: DelegatedTokenClaims, key: SigningKey): Promise<string> {
  return sign(claims, ACCESS_TOKEN_TYP, key);
}

/**
 * The claims of the token issued with `link` (docs/chain-spec.md §2): equal to the link's own,
 * plus `act` and the chain `links` (oldest first, ending with `link`'s compact form).
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

function linkClaims(hop: ChainHop, chain: Pick<LinkClaims, 'prev' | 'sbj'>): LinkClaims {
  return {
    v: CHAIN_PROFILE_VERSION,
    iss: hop.iss,
    sub: hop.sub,
    aud: hop.aud,
    client_id: hop.client_id,
    scope: hop.scope,
    iat: hop.iat,
    exp: hop.exp,
    jti: hop.jti,
    cnf: { jkt: hop.jkt },
    ...chain,
    dpop: hop.dpop,
    ...(hop.status === undefined ? {} : { status: hop.status }),
  };
}

async function issue(
  link: LinkClaims,
  previousLinks: readonly string[],
  previousHashes: readonly string[],
  act: ActorClaim | undefined,
  key: SigningKey,
  options: IssueChainOptions,
): Promise<IssuedChain> {
  const compact = await signLink(link, key);
  const claims = delegatedTokenClaims(link, [...previousLinks, compact], act);
  const token = await signDelegatedToken(claims, key);
  const maxBytes = options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  // docs/chain-spec.md §5 step 0: verifiers refuse a token over their size limit unparsed.
  if (token.length > maxBytes) {
    throw new MalformedChainError('token too large', {
      claim: 'size',
      expected: maxBytes,
      actual: token.length,
    });
  }
  return {
    token,
    claims,
    link,
    linkHashes: [...previousHashes, sha256Base64url(compact)],
    tokenHash: sha256Base64url(token),
  };
}

/**
 * A JWT of `claims` (RFC 7519 §7.1: the claims as JSON, the payload of a JWS): a compact JWS
 * over the serialised claims (signCompactJws), the same bytes jose's SignJWT signs. SignJWT
 * first deep-copies the claims for its setters, which cost 14–27 µs of a 100–180 µs signature of
 * a token with its chain (scratch measurement, in process); the broker signs two per token.
 */
async function sign(
  claims: LinkClaims | DelegatedTokenClaims,
  typ: string,
  key: SigningKey,
): Promise<string> {
  // SignJWT's one check of the claims: JSON would turn NaN or Infinity into null.
  for (const claim of ['iat', 'nbf', 'exp']) {
    const value = (claims as unknown as Record<string, unknown>)[claim];
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`"${claim}" claim must be a finite number`);
    }
  }
  return signCompactJws(
    JSON.stringify(claims),
    { alg: key.alg, typ, kid: key.kid },
    key.privateKey,
  );
}
