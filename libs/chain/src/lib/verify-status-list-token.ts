import { decodeProtectedHeader, jwtVerify } from 'jose';
import { STATUS_LIST_TYP } from '../protocol/index.js';
import { findKeySourceParameter, typeMatches } from './headers.js';
import type { IssuerTrust } from './issuer-trust.js';
import { isObject } from './json.js';
import { decodeStatusBytes, isStatusBits, type StatusBits } from './status-list-encoding.js';

/** A verified status list: its statuses and until when it may be used. */
export interface StatusListSnapshot {
  bits: StatusBits;
  bytes: Uint8Array;
  /** Epoch seconds: fetched + ttl (bounded), never after the token's `exp`. */
  usableUntil: number;
}

export interface StatusListTokenCheck {
  issuer: string;
  uri: string;
  trust: IssuerTrust;
  now: number;
  clockSkew: number;
  maxListBytes: number;
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
}

/**
 * draft-ietf-oauth-status-list, "Validation Rules" steps 3–5: a Status List Token signed by `issuer` with a key
 * from the trust store, `typ` `statuslist+jwt`, `sub` equal to the referenced `uri`, `iat`
 * present, not expired, and a well-formed list. Throws a plain Error or a jose error; the
 * caller wraps it.
 */
export async function verifyStatusListToken(
  compact: string,
  check: StatusListTokenCheck,
): Promise<StatusListSnapshot> {
  const header = decodeProtectedHeader(compact);
  if (!typeMatches(header.typ, STATUS_LIST_TYP)) {
    throw new Error('typ is not statuslist+jwt');
  }
  // RFC 8725 §3.10: the key comes from the trust store, never from the token.
  if (findKeySourceParameter(header) !== undefined) {
    throw new Error('header names its own key');
  }
  const key = await check.trust.getVerificationKey(check.issuer, header);
  const { payload } = await jwtVerify(compact, key, {
    algorithms: [header.alg as string],
    typ: STATUS_LIST_TYP,
    subject: check.uri,
    requiredClaims: ['iat', 'sub'],
    currentDate: new Date(check.now * 1000),
    clockTolerance: check.clockSkew,
  });
  const list = payload['status_list'];
  if (!isObject(list) || !isStatusBits(list['bits']) || typeof list['lst'] !== 'string') {
    throw new Error('status_list claim malformed');
  }
  const ttl = payload['ttl'];
  // §5.1: ttl, when present, is a positive number.
  if (ttl !== undefined && (typeof ttl !== 'number' || !(ttl > 0))) {
    throw new Error('ttl claim malformed');
  }
  const lifetime = Math.min(ttl ?? check.defaultTtlSeconds, check.maxTtlSeconds);
  return {
    bits: list['bits'],
    bytes: decodeStatusBytes(list['lst'], check.maxListBytes),
    usableUntil: Math.min(check.now + lifetime, payload.exp ?? Number.POSITIVE_INFINITY),
  };
}
