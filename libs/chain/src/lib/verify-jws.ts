import { KeyObject, verify } from 'node:crypto';
import { compactVerify, errors, type CryptoKey, type JWSHeaderParameters } from 'jose';
import { BoundedMap } from './bounded-map.js';

/** The algorithms whose signatures node:crypto checks, and the key each needs. */
const NODE_VERIFIED: Readonly<
  Record<string, { keyType: string; curve?: string; hash: string | null }>
> = {
  ES256: { keyType: 'ec', curve: 'prime256v1', hash: 'sha256' },
  ES384: { keyType: 'ec', curve: 'secp384r1', hash: 'sha384' },
  EdDSA: { keyType: 'ed25519', hash: null },
  Ed25519: { keyType: 'ed25519', hash: null },
};
const BASE64URL = /^[A-Za-z0-9_-]*$/;
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const keyObjects = new WeakMap<CryptoKey, KeyObject>();
/**
 * Protected headers (the encoded segment) jose has accepted, with their parsed form. jose's
 * verdict on a header without `b64` depends on that segment and the allowed algorithms alone,
 * and a domain's or an agent's header repeats on every token, link and proof it signs.
 */
const acceptedHeaders = new BoundedMap<string, JWSHeaderParameters>(1024);
let nodeSignatures = true;

/** Thrown by the key callback once jose has applied every header rule (one instance: no stack to capture each time). */
const HEADER_ACCEPTED = new Error('JWS header accepted');

/**
 * Verifies a compact JWS signed with `key` under one of `algorithms`, throwing jose's errors.
 *
 * jose applies every JWS rule before a key is used (RFC 7515 §5.2: three parts, a protected
 * header that is a JSON object, `crit` and `b64` per RFC 7515 §4.1.11 and RFC 7797, `alg` present
 * and allowed). For ES256, ES384 and EdDSA with a key of the matching curve and no `b64` header,
 * node:crypto then checks the signature itself, since jose's WebCrypto path costs about twice as
 * much here; anything else jose verifies whole. jose's verdict on such a header is remembered by
 * its encoded segment, so a header seen before is not parsed and checked again.
 */
export async function verifyCompactJws(
  compact: string,
  key: CryptoKey,
  algorithms: readonly string[],
): Promise<void> {
  const parts = compactParts(compact);
  const header =
    (parts && knownHeader(parts.protectedHeader, algorithms)) ??
    (await acceptedHeader(compact, algorithms));
  const rule = NODE_VERIFIED[header.alg ?? ''];
  const keyObject = rule === undefined ? undefined : keyObjectFor(key);
  if (
    !nodeSignatures ||
    parts === undefined ||
    rule === undefined ||
    keyObject === undefined ||
    header.b64 !== undefined ||
    keyObject.asymmetricKeyType !== rule.keyType ||
    keyObject.asymmetricKeyDetails?.namedCurve !== rule.curve
  ) {
    await compactVerify(compact, key, { algorithms: [...algorithms] });
    return;
  }
  const { payload, signature, signingInputLength } = parts;
  // What jose checks once it has the key, in its order: an ASCII payload, a base64url
  // signature, the signature itself, then a base64url payload (one test when it is base64url).
  const base64urlPayload = BASE64URL.test(payload);
  if (!base64urlPayload && !ASCII.test(payload)) {
    throw new errors.JWSInvalid('JWS Compact Serialization payload must use only ASCII characters');
  }
  if (!BASE64URL.test(signature)) {
    throw new errors.JWSInvalid('Failed to base64url decode the signature');
  }
  const valid = verify(
    rule.hash,
    Buffer.from(compact.slice(0, signingInputLength), 'latin1'),
    { key: keyObject, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) {
    throw new errors.JWSSignatureVerificationFailed();
  }
  if (!base64urlPayload) {
    throw new errors.JWSInvalid('Failed to base64url decode the payload');
  }
}

/**
 * Tests only: `false` makes every verification go through jose alone, so the attack suites can
 * show both paths give the same answers.
 */
export function useNodeSignatures(enabled: boolean): void {
  nodeSignatures = enabled;
}

async function acceptedHeader(
  compact: string,
  algorithms: readonly string[],
): Promise<JWSHeaderParameters> {
  let accepted: JWSHeaderParameters | undefined;
  try {
    await compactVerify(
      compact,
      (header) => {
        accepted = header;
        throw HEADER_ACCEPTED;
      },
      { algorithms: [...algorithms] },
    );
  } catch (error) {
    if (error !== HEADER_ACCEPTED) {
      throw error;
    }
  }
  if (accepted === undefined) {
    throw new errors.JWSInvalid('JWS header not checked');
  }
  if (accepted.b64 === undefined) {
    // The header jose was given is the first segment of a three-part compact JWS.
    acceptedHeaders.set(compact.slice(0, compact.indexOf('.')), Object.freeze({ ...accepted }));
  }
  return accepted;
}

/** A header jose accepted before, when `alg` is still among `algorithms` (its last check). */
function knownHeader(
  protectedHeader: string,
  algorithms: readonly string[],
): JWSHeaderParameters | undefined {
  const header = acceptedHeaders.get(protectedHeader);
  return header !== undefined && algorithms.includes(header.alg ?? '') ? header : undefined;
}

/** The three parts of a compact JWS (what jose's split requires), else undefined. */
function compactParts(
  compact: string,
):
  | { protectedHeader: string; payload: string; signature: string; signingInputLength: number }
  | undefined {
  const first = compact.indexOf('.');
  const second = first < 0 ? -1 : compact.indexOf('.', first + 1);
  if (second < 0 || compact.indexOf('.', second + 1) >= 0) {
    return undefined;
  }
  return {
    protectedHeader: compact.slice(0, first),
    payload: compact.slice(first + 1, second),
    signature: compact.slice(second + 1),
    signingInputLength: second,
  };
}

function keyObjectFor(key: CryptoKey): KeyObject | undefined {
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    try {
      keyObject = KeyObject.from(key);
    } catch {
      return undefined;
    }
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}
