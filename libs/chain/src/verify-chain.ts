import { checkHopBindings, checkHopOrder } from './lib/check-hop-binding.js';
import { checkHopProofs, type AcceptedHopProof } from './lib/check-hop-proofs.js';
import { checkRequiredScopes } from './lib/check-scopes.js';
import {
  checkActNesting,
  checkAttenuation,
  checkContinuity,
  checkDepth,
  checkKeyBinding,
  checkLinkage,
} from './lib/check-links.js';
import { checkDomainSignature } from './lib/check-signatures.js';
import { checkLifetime, checkNotRevoked } from './lib/check-status.js';
import { sha256OfAscii } from './lib/hash.js';
import { copyJson, deepFreeze, parseScope } from './lib/json.js';
import {
  parseToken,
  type ChainedTokenClaims,
  type DecodedJws,
  type ParsedChainedToken,
  type ParsedLink,
} from './lib/parse-chain.js';
import { verifyUnchained } from './lib/verify-unchained.js';
import type { LinkCache } from './link-cache.js';
import {
  CHAIN_CLAIM,
  CHAIN_PROFILE_VERSION,
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_HOP_PROOF_MAX_AGE_SECONDS,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_TOKEN_BYTES,
  type ActorClaim,
  type DelegatedTokenClaims,
  type Hop,
  type LinkClaims,
  type VerifiedChain,
  type VerifiedChainedToken,
} from './protocol/index.js';
import type { StatusListClient } from './status-list.js';
import type { TrustStore } from './trust-store.js';
import { systemEpochSeconds } from './lib/time.js';

export interface VerifyChainOptions {
  trust: TrustStore;
  /** This verifier's identifier(s); the token's `aud` must be one of them. */
  audience: string | readonly string[];
  /** Current time in integer epoch seconds. Default `Math.floor(Date.now() / 1000)`. */
  now?: number;
  /** Tolerance for `exp`, `iat` and hop-proof windows, seconds. Default 30. */
  clockSkew?: number;
  /** Most links accepted. Default 5. */
  maxDepth?: number;
  /** Largest token accepted, refused before parsing. Default 16 KiB. */
  maxTokenBytes?: number;
  /** How long before its link's `iat` a hop proof may have been made, seconds. Default 300. */
  hopProofMaxAge?: number;
  /** Scopes the caller needs; all must be in the token's scope. */
  requiredScopes?: readonly string[];
  /** Status source for invariant 10; anything but `false` counts as revoked. */
  isRevoked?: (link: LinkClaims, index: number) => boolean | Promise<boolean>;
  /** Checks every link's Token Status List reference (invariant 10); see StatusListClient. */
  statusLists?: StatusListClient;
  /** Reuses signature and hop-proof results of links, and the decoding and signature of tokens, seen before. */
  linkCache?: LinkCache;
  /** Brokers only: accept an `origin` issuer's unchained DPoP-bound token (depth 0). */
  allowUnchained?: boolean;
  /**
   * Refuse any exchange hop (a link with `sbj`) whose proof carries no `baton_hop` binding
   * (docs/chain-spec.md §3.1). Default false: chains built by standard DPoP clients still verify.
   */
  requireBoundHopProofs?: boolean;
}

/**
 * Verifies a Baton delegated token and its whole chain (docs/chain-spec.md §5), failing closed
 * at the first broken invariant, in order: structure (0), signatures and trust (1), continuity
 * and audience (2), key binding (3), hop proofs (4), attenuation (5), hash linkage (6), `act`
 * nesting (7), depth and loops (8), expiry and revocation (10), then `requiredScopes`.
 *
 * Hop proofs must not predate the hop they extend; a proof that carries `baton_hop` must name
 * its own hop (subject, previous link, audience, scope), and with `requireBoundHopProofs` every
 * exchange hop's proof must carry one.
 *
 * Does not check the request's own DPoP proof (invariant 9: use verifyRequest or
 * verifyDpopProof), `sbj.hash` against the earlier tokens themselves (they are not presented;
 * a bound proof attests it), or, for unbound proofs, whether a middle domain chose the hop's
 * audience and scope as the agent asked.
 *
 * @example
 * const chain = await verifyChain(token, { trust, audience: 'https://api.c.example' });
 * chain.hops.map((h) => h.domain); // ['https://a.example', 'https://b.example', ...]
 * @throws ChainError subclasses with a stable `code` and `invariant`.
 */
export function verifyChain(
  token: string,
  options: VerifyChainOptions & { allowUnchained?: false },
): Promise<VerifiedChainedToken>;
export function verifyChain(token: string, options: VerifyChainOptions): Promise<VerifiedChain>;
export async function verifyChain(
  token: string,
  options: VerifyChainOptions,
): Promise<VerifiedChain> {
  const settings = resolveSettings(options);
  const recalled = recallToken(token, settings);
  const parsed =
    recalled?.token ??
    parseToken(token, {
      maxTokenBytes: settings.maxTokenBytes,
      maxJsonDepth: settings.maxDepth + 4,
      maxLinks: settings.maxDepth,
    });
  if (parsed.kind === 'unchained') {
    const result = await verifyUnchained(parsed.token, {
      ...settings,
      allowUnchained: options.allowUnchained === true,
    });
    checkRequiredScopes(result.scope, options.requiredScopes);
    return result;
  }
  const { token: decoded, claims, links } = parsed;
  // parseToken checked the token is base64url, hence ASCII.
  const tokenHash = recalled?.hash ?? sha256OfAscii(token);
  const signed = recalled?.token !== undefined;
  const cached = await checkSignatures(decoded, tokenHash, signed, claims, links, settings);
  checkContinuity(links, claims, settings.audience);
  const jkt = checkKeyBinding(links, claims);
  const proofs = await checkHopProofs(links, {
    trust: settings.trust,
    maxAge: settings.hopProofMaxAge,
    clockSkew: settings.clockSkew,
    cachedProofs: cached,
    knowsSignature: knownSignatures(settings),
  });
  checkHopOrder(links, proofs, settings.clockSkew);
  checkHopBindings(links, proofs, options.requireBoundHopProofs === true);
  checkAttenuation(links);
  checkLinkage(links);
  const act = checkActNesting(links, claims.act);
  checkDepth(links, settings.maxDepth);
  links.forEach((link, i) => checkLifetime(link.claims, settings.now, settings.clockSkew, i));
  checkLifetime(claims, settings.now, settings.clockSkew);
  if (options.isRevoked !== undefined) {
    await checkNotRevoked(
      links.map((l) => l.claims),
      options.isRevoked,
    );
  }
  if (options.statusLists !== undefined) {
    await options.statusLists.check(
      links.map((l) => l.claims),
      settings.trust,
      settings.now,
    );
  }
  rememberLinks(links, proofs, cached, settings);
  if (!signed) {
    settings.linkCache?.setToken(
      token,
      tokenHash,
      parsed,
      settings.trust,
      settings.maxDepth,
      settings.now,
    );
  }
  const scope = parseScope(claims.scope);
  checkRequiredScopes(scope, options.requiredScopes);
  // What comes from the link cache is shared: the caller gets copies.
  const ownClaims = signed ? copyJson({ ...claims, [CHAIN_CLAIM]: undefined }) : claims;
  const ownLinks = signed ? links.map((link) => copyJson(link.claims)) : links.map((l) => l.claims);
  return buildResult(tokenHash, { ...ownClaims, act }, links, ownLinks, jkt, scope);
}

type Settings = ReturnType<typeof resolveSettings>;

/**
 * The link cache's entry for a token presented before (a string within the size limit, which
 * parsing checks first anyway), with its hash.
 */
function recallToken(
  token: unknown,
  settings: Settings,
): { hash: string; token: ParsedChainedToken } | undefined {
  const cache = settings.linkCache;
  if (cache === undefined || typeof token !== 'string' || token.length > settings.maxTokenBytes) {
    return undefined;
  }
  return cache.getToken(token, settings.trust, settings.now, settings.maxDepth);
}

function resolveSettings(options: VerifyChainOptions) {
  return {
    trust: options.trust,
    audience: typeof options.audience === 'string' ? [options.audience] : [...options.audience],
    now: options.now ?? systemEpochSeconds(),
    clockSkew: options.clockSkew ?? DEFAULT_CLOCK_SKEW_SECONDS,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxTokenBytes: options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES,
    hopProofMaxAge: options.hopProofMaxAge ?? DEFAULT_HOP_PROOF_MAX_AGE_SECONDS,
    linkCache: options.linkCache,
  };
}

/**
 * Invariant 1 for the token (role `present`) and each link (`upstream`; the last is the token's
 * own). A signature the link cache has seen verified under this trust set is not checked again;
 * the issuer's trust in its role always is. One this process made itself (rememberSignature)
 * goes through every check but the signature arithmetic.
 */
async function checkSignatures(
  token: DecodedJws,
  tokenHash: string,
  signed: boolean,
  claims: ChainedTokenClaims,
  links: readonly ParsedLink[],
  settings: Settings,
): Promise<Map<number, AcceptedHopProof>> {
  const cache = settings.linkCache;
  const { trust, now } = settings;
  if (!signed || !trust.isTrusted(claims.iss, 'present')) {
    const known = cache?.knowsSignature(tokenHash, claims.iss, now) === true;
    await checkDomainSignature(token, claims.iss, 'present', trust, undefined, known);
  }
  const cachedProofs = new Map<number, AcceptedHopProof>();
  for (const [i, link] of links.entries()) {
    const role = i === links.length - 1 ? 'present' : 'upstream';
    const hit = cache?.get(link.hash, trust, now);
    if (hit !== undefined && trust.isTrusted(link.claims.iss, role)) {
      cachedProofs.set(i, { jti: hit.proofJti, claims: hit.proofClaims });
      continue;
    }
    const known = cache?.knowsSignature(link.hash, link.claims.iss, now) === true;
    await checkDomainSignature(link, link.claims.iss, role, trust, i, known);
  }
  return cachedProofs;
}

/** The link cache's rememberSignature entries for hop proofs, when there is a cache. */
function knownSignatures(
  settings: Settings,
): ((proof: string, jkt: string) => boolean) | undefined {
  const cache = settings.linkCache;
  // Only verified compact proofs (ASCII) are remembered: a `dpop` that is not ASCII matches none.
  return cache === undefined
    ? undefined
    : (proof, jkt) => cache.knowsSignature(sha256OfAscii(proof), jkt, settings.now);
}

function rememberLinks(
  links: readonly ParsedLink[],
  proofs: readonly AcceptedHopProof[],
  cached: Map<number, AcceptedHopProof>,
  settings: Settings,
): void {
  const cache = settings.linkCache;
  if (cache === undefined) {
    return;
  }
  links.forEach((link, i) => {
    if (!cached.has(i)) {
      cache.set(link.hash, {
        claims: link.claims,
        proofJti: proofs[i].jti,
        proofClaims: deepFreeze(proofs[i].claims),
        policy: settings.trust,
        expiresAt: settings.now + cache.ttlSeconds,
      });
    }
  });
}

function buildResult(
  tokenHash: string,
  claims: ChainedTokenClaims & { act: ActorClaim | undefined },
  links: readonly ParsedLink[],
  linkClaims: LinkClaims[],
  jkt: string,
  scope: string[],
): VerifiedChainedToken {
  const hops = links.map(({ claims: link }, index): Hop => {
    const hop: Hop = {
      index,
      domain: link.iss,
      actor: link.client_id,
      audience: link.aud,
      scope: parseScope(link.scope),
      iat: link.iat,
      exp: link.exp,
      jti: link.jti,
    };
    return link.sbj === undefined ? hop : { ...hop, subjectToken: { ...link.sbj } };
  });
  const compactLinks = links.map((l) => l.compact);
  const { act, ...rest } = claims;
  const tokenClaims: DelegatedTokenClaims = {
    ...rest,
    ...(act === undefined ? {} : { act }),
    [CHAIN_CLAIM]: { v: CHAIN_PROFILE_VERSION, links: compactLinks },
  };
  return {
    kind: 'chained',
    claims: tokenClaims,
    subject: claims.sub,
    agentKeyThumbprint: jkt,
    originIssuer: links[0].claims.iss,
    hops,
    scope,
    depth: links.length,
    links: linkClaims,
    compactLinks,
    linkHashes: links.map((l) => l.hash),
    tokenHash,
  };
}
