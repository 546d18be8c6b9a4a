/**
 * Baton wire-format constants and types, shared by every broker that issues chains and every
 * verifier that checks them, so both sides speak from one definition.
 *
 * The normative description is docs/chain-spec.md at the repository root.
 */

/** Version of the chain profile; tokens and links carry it so a verifier can refuse unknown ones. */
export const CHAIN_PROFILE_VERSION = 1;

/** JWS `typ` of a delegated access token (RFC 9068 §2.1). */
export const ACCESS_TOKEN_TYP = 'at+jwt';
/** JWS `typ` of a chain link; explicit so a link can never be confused with a token (RFC 8725 §3.11). */
export const LINK_TYP = 'baton-link+jwt';
/** JWS `typ` of a DPoP proof (RFC 9449 §4.2). */
export const DPOP_PROOF_TYP = 'dpop+jwt';

/** Token claim that declares the chain profile and carries the links, oldest first. */
export const CHAIN_CLAIM = 'baton';

/** RFC 8693 §3 token type identifiers. */
export const TOKEN_TYPE_ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
export const TOKEN_TYPE_JWT = 'urn:ietf:params:oauth:token-type:jwt';
/** RFC 8693 §2.1 grant type. */
export const GRANT_TYPE_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const GRANT_TYPE_CLIENT_CREDENTIALS = 'client_credentials';
/** RFC 7523 §2.1 JWT authorization grant (the identity-chaining draft's cross-domain step). */
export const GRANT_TYPE_JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** RFC 7523 §2.2 client assertion type. */
export const CLIENT_ASSERTION_TYPE_JWT_BEARER =
  'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Where a Baton broker serves its token endpoint: `<issuer>/token`. Hop proofs name it (`htu`),
 * so a verifier configured with a broker's static keys and no `tokenEndpoint` uses this, and a
 * broker's RFC 8414 metadata publishes it.
 */
export const TOKEN_ENDPOINT_PATH = '/token';
export function tokenEndpointOf(issuer: string): string {
  return `${issuer}${TOKEN_ENDPOINT_PATH}`;
}

/** Algorithms a domain may sign tokens and links with. Never `none`, never HMAC (RFC 8725 §3.1). */
export const DOMAIN_SIGNING_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'PS256'] as const;
export type DomainSigningAlgorithm = (typeof DOMAIN_SIGNING_ALGORITHMS)[number];
export const DEFAULT_SIGNING_ALGORITHM: DomainSigningAlgorithm = 'ES256';

/**
 * Algorithms an agent may sign DPoP proofs with. `Ed25519` is the fully-specified name some
 * clients (oauth4webapi) use for what older ones call `EdDSA`; both mean the same key type.
 */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256'] as const;

/**
 * What an issuer may sign, as seen by one verifier.
 * - `present`: the token presented to this verifier (and its own, last link);
 * - `upstream`: earlier links of a chain;
 * - `origin`: unchained DPoP-bound RFC 9068 tokens a broker may start a chain from (an IdP).
 */
export const ISSUER_ROLES = ['present', 'upstream', 'origin'] as const;
export type IssuerRole = (typeof ISSUER_ROLES)[number];
/** Roles of a trusted issuer configured without any: a peer broker, never an origin IdP. */
export const DEFAULT_ISSUER_ROLES = [
  'present',
  'upstream',
] as const satisfies readonly IssuerRole[];

/** JWK members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** How long a verifier uses fetched or resolved issuer keys before loading them again. */
export const DEFAULT_KEY_CACHE_TTL_SECONDS = 300;
/** Minimum time between two key refetches caused by an unknown `kid`. */
export const DEFAULT_KEY_REFETCH_COOLDOWN_SECONDS = 10;

/** Default policy limits. */
export const DEFAULT_MAX_DEPTH = 5;
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;
/** How old a DPoP proof may be when it is checked (RFC 9449 §11.1 leaves the window to the server). */
export const DEFAULT_DPOP_MAX_AGE_SECONDS = 60;
/** How long before its link's `iat` a hop proof may have been made (invariant 4). */
export const DEFAULT_HOP_PROOF_MAX_AGE_SECONDS = 300;
/** Upper bound on the DPoP proof `jti`s an in-process replay store remembers (a few MiB). */
export const DEFAULT_REPLAY_STORE_MAX_ENTRIES = 100_000;
/** Upper bound on a presented token, refused before any parsing (16 KiB request header budget). */
export const DEFAULT_MAX_TOKEN_BYTES = 16 * 1024;
/** Largest DPoP proof accepted (compact JWS characters), in a request header or inside a link. */
export const MAX_DPOP_PROOF_BYTES = 8 * 1024;
/** Room for the request line and every header besides `Authorization` and `DPoP`. */
export const OTHER_REQUEST_HEADER_BYTES = 8 * 1024;

/**
 * The HTTP request header limit (Node's `maxHeaderSize`) a server needs so that a token of
 * `maxTokenBytes` in `Authorization: DPoP`, with its DPoP proof and ordinary headers, reaches
 * the verifier instead of being refused with 431 by the HTTP parser (16 KiB by default).
 */
export function requestHeaderLimitFor(maxTokenBytes: number): number {
  return maxTokenBytes + MAX_DPOP_PROOF_BYTES + OTHER_REQUEST_HEADER_BYTES;
}
/**
 * Latest NumericDate a token, link or status reference may carry: 9999-12-31T23:59:59Z, so every
 * accepted time has an ISO 8601 form. A later `iat`/`exp`/`nbf` makes a token malformed.
 */
export const MAX_NUMERIC_DATE = 253_402_300_799;

/**
 * DPoP proof claim (a JSON object) by which the agent binds its proof at a token endpoint to the
 * hop it asks for: the subject token it exchanges and, optionally, the target and scope it
 * requests (docs/chain-spec.md §3.1). Compute it with `hopBinding()` from `@baton/chain`.
 */
export const HOP_BINDING_CLAIM = 'baton_hop';

/** The value of the `baton_hop` DPoP proof claim (docs/chain-spec.md §3.1). */
export interface HopBinding {
  /** base64url(SHA-256(subject_token)): the new link's `sbj.hash`. */
  sbj_hash: string;
  /** hash of the subject token's own (last) link: the new link's `prev`; absent for an unchained subject. */
  prev?: string;
  /** The requested `audience` (RFC 8693) or `resource` (RFC 8707): the new link's `aud`. */
  aud?: string;
  /** The requested `scope`, space-separated: the new link's scope is within it. */
  scope?: string;
}

// Typed as a record so the compiler refuses a HopBinding member missing here, or an extra one.
const HOP_BINDING_MEMBERS: Record<keyof HopBinding, true> = {
  sbj_hash: true,
  prev: true,
  aud: true,
  scope: true,
};

/** Every member a version-1 `baton_hop` may carry; any other member makes the proof invalid. */
export const HOP_BINDING_MEMBER_NAMES = Object.keys(
  HOP_BINDING_MEMBERS,
) as readonly (keyof HopBinding)[];

/** `cnf` confirmation claim carrying the agent key's RFC 7638 thumbprint (RFC 9449 §6.1). */
export interface Confirmation {
  jkt: string;
}

/** RFC 8693 §4.1 actor claim, one level per exchange hop, outermost = the latest hop. */
export interface ActorClaim {
  /** The domain that performed the exchange. */
  iss: string;
  /** The client that requested the exchange there. */
  sub: string;
  act?: ActorClaim;
}

/** The subject token a hop consumed, named by issuer, `jti` and hash (absent on an origin hop). */
export interface SubjectTokenReference {
  iss: string;
  jti: string;
  /** base64url(SHA-256(ASCII of the compact subject token)). */
  hash: string;
}

/** Token Status List reference (draft-ietf-oauth-status-list, "Referenced Token"). */
export interface StatusReference {
  status_list: { idx: number; uri: string };
}

// Typed as a record so the compiler refuses a LinkClaims member missing here, or an extra one.
const LINK_CLAIMS: Record<keyof LinkClaims, true> = {
  v: true,
  iss: true,
  sub: true,
  aud: true,
  client_id: true,
  scope: true,
  iat: true,
  exp: true,
  jti: true,
  cnf: true,
  prev: true,
  sbj: true,
  dpop: true,
  status: true,
};

/** Every claim a version-1 link may carry; a link with any other claim is malformed. */
export const LINK_CLAIM_NAMES = Object.keys(LINK_CLAIMS) as readonly (keyof LinkClaims)[];

/** Payload of one link: one hop, signed by the domain that issued it. */
export interface LinkClaims {
  v: typeof CHAIN_PROFILE_VERSION;
  iss: string;
  sub: string;
  aud: string;
  /** The client authenticated at this hop (the actor of this hop). */
  client_id: string;
  scope: string;
  iat: number;
  exp: number;
  /** Equal to the `jti` of the token this link was issued with. */
  jti: string;
  cnf: Confirmation;
  /** base64url(SHA-256(compact previous link)); absent on the first link. */
  prev?: string;
  /** The token presented as `subject_token` at this hop; absent when the hop is an origin grant. */
  sbj?: SubjectTokenReference;
  /** The agent's DPoP proof (compact JWS) that this broker accepted for this hop. */
  dpop: string;
  /** Revocation status of this hop; present once the domain publishes a status list. */
  status?: StatusReference;
}

/** The chain claim inside a delegated token. */
export interface ChainClaim {
  v: typeof CHAIN_PROFILE_VERSION;
  /** Compact links, oldest first; the last one is this token's own link. */
  links: string[];
}

/** Payload of a delegated access token (RFC 9068 plus the chain profile). */
export interface DelegatedTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  scope: string;
  iat: number;
  exp: number;
  jti: string;
  cnf: Confirmation;
  act?: ActorClaim;
  may_act?: MayActClaim;
  [CHAIN_CLAIM]: ChainClaim;
}

/** RFC 8693 §4.4: the party authorized to act for the subject. */
export interface MayActClaim {
  sub: string;
  iss?: string;
}

export { nestAct } from './act.js';
export {
  endpointUrlProblem,
  isLoopbackHost,
  issuerUrlProblem,
  publicJwkSetProblem,
} from './config-rules.js';
export type {
  Hop,
  OriginTokenClaims,
  VerifiedChain,
  VerifiedChainedToken,
  VerifiedOriginToken,
} from './verified-chain.js';

/** JWS `typ` of a Status List Token (draft-ietf-oauth-status-list, "Status List Token in JWT
 * Format"). */
export const STATUS_LIST_TYP = 'statuslist+jwt';
/** Media type of a Status List Token (draft-ietf-oauth-status-list, "Status List Response"). */
export const STATUS_LIST_MEDIA_TYPE = 'application/statuslist+jwt';
/** Status Type values (draft-ietf-oauth-status-list, "Status Types Values"); any value but
 * VALID refuses a link. */
export const STATUS_VALID = 0;
export const STATUS_INVALID = 1;

/** Payload of a Status List Token (draft-ietf-oauth-status-list, "Status List Token in JWT
 * Format"). */
export interface StatusListTokenClaims {
  /** The `uri` the referenced tokens name. */
  sub: string;
  iat: number;
  exp?: number;
  /** Seconds a verifier may cache the token before fetching it again. */
  ttl?: number;
  iss?: string;
  status_list: {
    /** Bits per status: 1, 2, 4 or 8. */
    bits: number;
    /** base64url of the ZLIB/DEFLATE-compressed status byte array. */
    lst: string;
  };
}
