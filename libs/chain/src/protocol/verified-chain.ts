import type {
  Confirmation,
  DelegatedTokenClaims,
  LinkClaims,
  MayActClaim,
  SubjectTokenReference,
} from './index.js';

/** One verified hop, oldest first. */
export interface Hop {
  index: number;
  /** The domain that issued this hop (link `iss`). */
  domain: string;
  /** The client that asked for it there (link `client_id`). */
  actor: string;
  audience: string;
  scope: string[];
  iat: number;
  exp: number;
  jti: string;
  subjectToken?: SubjectTokenReference;
}

/** The claims of an origin issuer's unchained DPoP-bound RFC 9068 token that Baton reads. */
export interface OriginTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  client_id: string;
  jti: string;
  iat: number;
  exp: number;
  scope?: string;
  cnf: Confirmation;
  may_act?: MayActClaim;
}

interface VerifiedToken {
  subject: string;
  /** RFC 7638 thumbprint of the agent key every hop is bound to (`cnf.jkt`). */
  agentKeyThumbprint: string;
  /** Issuer of the first link (or of the token, when unchained). */
  originIssuer: string;
  scope: string[];
  /** base64url(SHA-256(the compact token)): the `sbj.hash` a next hop records. */
  tokenHash: string;
}

/** A token carrying a verified chain (docs/chain-spec.md §2). */
export interface VerifiedChainedToken extends VerifiedToken {
  kind: 'chained';
  /** The token payload; `act` is the nesting verified against the links (invariant 7). */
  claims: DelegatedTokenClaims;
  hops: Hop[];
  depth: number;
  links: LinkClaims[];
  /** The compact links, oldest first, as carried in the token's chain claim. */
  compactLinks: readonly string[];
  linkHashes: string[];
}

/** An origin issuer's unchained token, accepted only with `allowUnchained` (depth 0). */
export interface VerifiedOriginToken extends VerifiedToken {
  kind: 'origin';
  claims: OriginTokenClaims;
  hops: [];
  depth: 0;
  links: [];
  compactLinks: [];
  linkHashes: [];
}

/** What verifyChain returns: a chained token, or (brokers only) an origin token. */
export type VerifiedChain = VerifiedChainedToken | VerifiedOriginToken;
