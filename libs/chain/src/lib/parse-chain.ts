import { decodeJwt } from 'jose';
import { DepthError, MalformedChainError } from './errors.js';
import {
  ACCESS_TOKEN_TYP,
  CHAIN_CLAIM,
  CHAIN_PROFILE_VERSION,
  LINK_CLAIM_NAMES,
  LINK_TYP,
  MAX_DPOP_PROOF_BYTES,
  type DelegatedTokenClaims,
  type LinkClaims,
} from '../protocol/index.js';
import { sha256OfAscii } from './hash.js';
import { decodeHeader } from './protected-header.js';
import { typeMatches } from './headers.js';
import {
  exceedsDepth,
  hasExactly,
  isNonEmptyString,
  isNumericDate,
  isObject,
  type JsonObject,
} from './json.js';

export interface DecodedJws {
  /** Three non-empty base64url parts (decodeCompact checks it). */
  compact: string;
  /** Shared with every JWS of the same header, hence frozen. */
  header: Readonly<JsonObject>;
  payload: JsonObject;
}

export interface ParsedLink extends DecodedJws {
  claims: LinkClaims;
  hash: string;
}

/**
 * The protocol's token claims after the shape check; `act` stays unknown until invariant 7
 * compares it with the links.
 */
export type ChainedTokenClaims = Omit<DelegatedTokenClaims, 'act' | typeof CHAIN_CLAIM> &
  JsonObject & { act?: unknown };

export interface ParsedChainedToken {
  kind: 'chained';
  token: DecodedJws;
  claims: ChainedTokenClaims;
  links: ParsedLink[];
}

export type ParsedToken =
  ParsedChainedToken | { kind: 'unchained'; token: DecodedJws; claims: JsonObject };

export interface ParseLimits {
  maxTokenBytes: number;
  /** Deepest JSON nesting accepted inside any payload. */
  maxJsonDepth: number;
  /** Most links accepted before any signature work (a cost bound). */
  maxLinks: number;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const LINK_MEMBERS: ReadonlySet<string> = new Set(LINK_CLAIM_NAMES);

function malformed(
  message: string,
  detail: { link?: number; claim?: string; cause?: unknown } = {},
) {
  return new MalformedChainError(message, detail);
}

/** Decodes one compact JWS without verifying it; structure errors become MalformedChainError. */
export function decodeCompact(compact: unknown, maxJsonDepth: number, link?: number): DecodedJws {
  if (typeof compact !== 'string' || !COMPACT_JWS.test(compact)) {
    throw malformed('not a compact JWS', { link });
  }
  let header: Readonly<JsonObject>;
  let payload: JsonObject;
  try {
    header = decodeHeader(compact);
    payload = decodeJwt(compact);
  } catch (cause) {
    throw malformed('not a compact JWS', { link, cause });
  }
  if (exceedsDepth(header, 4) || exceedsDepth(payload, maxJsonDepth)) {
    throw malformed('JSON nested too deeply', { link, claim: 'act' });
  }
  return { compact, header, payload };
}

/** Size, encoding and shape of a presented token and its links (invariant 0). */
export function parseToken(token: unknown, limits: ParseLimits): ParsedToken {
  if (typeof token !== 'string' || token.length === 0) {
    throw malformed('token missing');
  }
  if (token.length > limits.maxTokenBytes) {
    throw malformed('token too large', { claim: 'size' });
  }
  const decoded = decodeCompact(token, limits.maxJsonDepth);
  // RFC 9068 §2.1 and RFC 8725 §3.11: explicit typing keeps links and tokens apart.
  if (!typeMatches(decoded.header['typ'], ACCESS_TOKEN_TYP)) {
    throw malformed('token typ is not at+jwt', { claim: 'typ' });
  }
  const chain = decoded.payload[CHAIN_CLAIM];
  if (chain === undefined) {
    return { kind: 'unchained', token: decoded, claims: decoded.payload };
  }
  const claims = readTokenClaims(decoded.payload);
  if (
    !isObject(chain) ||
    !hasExactly(chain, ['v', 'links']) ||
    chain['v'] !== CHAIN_PROFILE_VERSION ||
    !Array.isArray(chain['links'])
  ) {
    throw malformed('chain claim malformed', { claim: CHAIN_CLAIM });
  }
  const compacts: unknown[] = chain['links'];
  if (compacts.length === 0) {
    throw malformed('chain has no links', { claim: CHAIN_CLAIM });
  }
  if (compacts.length > limits.maxLinks) {
    // Invariant 8 checked early as a cost bound: no signature work on an over-long chain.
    throw new DepthError('ERR_DEPTH', 'chain too deep', {
      claim: CHAIN_CLAIM,
      expected: limits.maxLinks,
      actual: compacts.length,
    });
  }
  const links = compacts.map((compact, index) => parseLink(compact, index, limits.maxJsonDepth));
  return { kind: 'chained', token: decoded, claims, links };
}

export function parseLink(compact: unknown, index: number, maxJsonDepth: number): ParsedLink {
  const decoded = decodeCompact(compact, maxJsonDepth, index);
  if (!typeMatches(decoded.header['typ'], LINK_TYP)) {
    throw malformed('link typ is not baton-link+jwt', { link: index, claim: 'typ' });
  }
  return {
    ...decoded,
    claims: readLinkClaims(decoded.payload, index),
    // decodeCompact checked the link is base64url, hence ASCII.
    hash: sha256OfAscii(decoded.compact),
  };
}

function readTokenClaims(payload: JsonObject): ChainedTokenClaims {
  for (const name of ['iss', 'sub', 'aud', 'client_id', 'jti'] as const) {
    if (!isNonEmptyString(payload[name])) {
      throw malformed('token claim missing or malformed', { claim: name });
    }
  }
  checkCommon(payload);
  if (payload['act'] !== undefined && !isObject(payload['act'])) {
    throw malformed('token claim missing or malformed', { claim: 'act' });
  }
  if (payload['nbf'] !== undefined && !isNumericDate(payload['nbf'])) {
    throw malformed('token claim missing or malformed', { claim: 'nbf' });
  }
  checkMayAct(payload['may_act']);
  return payload as ChainedTokenClaims;
}

/** RFC 8693 §4.4: `may_act`, when present, names a subject (and optionally its issuer). */
export function checkMayAct(mayAct: unknown): void {
  if (mayAct === undefined) {
    return;
  }
  const wellFormed =
    isObject(mayAct) &&
    isNonEmptyString(mayAct['sub']) &&
    (mayAct['iss'] === undefined || isNonEmptyString(mayAct['iss']));
  if (!wellFormed) {
    throw malformed('token claim missing or malformed', { claim: 'may_act' });
  }
}

function readLinkClaims(payload: JsonObject, link: number): LinkClaims {
  const unknown = Object.keys(payload).find((name) => !LINK_MEMBERS.has(name));
  if (unknown !== undefined) {
    throw malformed('link carries an unknown claim', { link, claim: unknown });
  }
  if (payload['v'] !== CHAIN_PROFILE_VERSION) {
    throw malformed('link version unsupported', { link, claim: 'v' });
  }
  for (const name of ['iss', 'sub', 'aud', 'client_id', 'jti'] as const) {
    if (!isNonEmptyString(payload[name])) {
      throw malformed('link claim missing or malformed', { link, claim: name });
    }
  }
  if (!isNonEmptyString(payload['dpop'], MAX_DPOP_PROOF_BYTES)) {
    throw malformed('link claim missing or malformed', { link, claim: 'dpop' });
  }
  if (payload['prev'] !== undefined && !isNonEmptyString(payload['prev'], 64)) {
    throw malformed('link claim missing or malformed', { link, claim: 'prev' });
  }
  checkSubjectReference(payload['sbj'], link);
  checkStatus(payload['status'], link);
  checkCommon(payload, link);
  return payload as unknown as LinkClaims;
}

function checkCommon(payload: JsonObject, link?: number): void {
  if (typeof payload['scope'] !== 'string' || payload['scope'].length > 4096) {
    throw malformed('claim missing or malformed', { link, claim: 'scope' });
  }
  for (const name of ['iat', 'exp'] as const) {
    if (!isNumericDate(payload[name])) {
      throw malformed('claim missing or malformed', { link, claim: name });
    }
  }
  const cnf = payload['cnf'];
  // Version 1 is closed all the way down: cnf carries the agent key thumbprint and nothing else.
  if (!isObject(cnf) || !hasExactly(cnf, ['jkt']) || !isNonEmptyString(cnf['jkt'], 128)) {
    throw malformed('claim missing or malformed', { link, claim: 'cnf' });
  }
}

function checkSubjectReference(sbj: unknown, link: number): void {
  if (sbj === undefined) {
    return;
  }
  const names = ['iss', 'jti', 'hash'];
  if (
    !isObject(sbj) ||
    !hasExactly(sbj, names) ||
    !names.every((name) => isNonEmptyString(sbj[name]))
  ) {
    throw malformed('link claim missing or malformed', { link, claim: 'sbj' });
  }
}

function checkStatus(status: unknown, link: number): void {
  if (status === undefined) {
    return;
  }
  // draft-ietf-oauth-status-list §6.1: status_list = { idx, uri }; nothing else in version 1.
  const list =
    isObject(status) && hasExactly(status, ['status_list']) ? status['status_list'] : undefined;
  if (
    !isObject(list) ||
    !hasExactly(list, ['idx', 'uri']) ||
    !isIndex(list['idx']) ||
    !isNonEmptyString(list['uri'])
  ) {
    throw malformed('link claim missing or malformed', { link, claim: 'status' });
  }
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
