import { verify, type VerifyKeyObjectInput } from 'node:crypto';
import { compactVerify, errors, type CryptoKey, type JWSHeaderParameters } from 'jose';
import { nodeKeyFor } from './node-signatures.js';
import { decodeHeader } from './protected-header.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
/**
 * Protected headers jose has accepted, as decodeHeader shares them by encoded segment. jose's
 * verdict on a header without `b64` depends on that segment and the allowed algorithms alone,
 * and a domain's or an agent's header repeats on every token, link and proof it signs.
 */
const acceptedHeaders = new WeakSet<object>();
let signingInput = Buffer.allocUnsafe(16 * 1024);
const signatureBytes = Buffer.allocUnsafe(512);
/** base64url characters that decode to at most signatureBytes.length bytes. */
const MAX_REUSED_SIGNATURE_CHARS = Math.floor((512 * 4) / 3);

export interface VerifyCompactJwsOptions {
  /** True when the caller has checked that all three parts are base64url (decodeCompact). */
  base64urlChecked?: boolean;
  /**
   * Computes a node:crypto signature check on libuv's thread pool instead of in the calling
   * thread, so a server's event loop serves other requests meanwhile. Every JOSE rule still runs
   * first, in the calling thread, in the same order; only the arithmetic moves. The hand-off
   * costs CPU, so it pays where the event loop, not the wait for a database, is the limit.
   */
  threadPool?: boolean;
}

/** Thrown by the key callback once jose has applied every header rule (one instance: no stack to capture each time). */
const HEADER_ACCEPTED = new Error('JWS header accepted');

/**
 * Verifies a compact JWS signed with `key` under one of `algorithms`, throwing jose's errors.
 *
 * jose applies every JWS rule before a key is used (RFC 7515 §5.2: three parts, a protected
 * header that is a JSON object, `crit` and `b64` per RFC 7515 §4.1.11 and RFC 7797, `alg` present
 * and allowed). For ES256, ES384 and EdDSA with a key of the matching curve and no `b64` header,
 * node:crypto then checks the signature itself, since jose's WebCrypto path costs about twice as
 * much here; anything else jose verifies whole. jose's verdict on such a header is remembered with
 * the header decodeHeader shares, so a header seen before is not parsed and checked again.
 */
export async function verifyCompactJws(
  compact: string,
  key: CryptoKey,
  algorithms: readonly string[],
  { base64urlChecked = false, threadPool = false }: VerifyCompactJwsOptions = {},
): Promise<void> {
  const parts = compactParts(compact);
  const header =
    (parts && acceptedBefore(compact, algorithms)) ?? (await acceptedHeader(compact, algorithms));
  const node = nodeKeyFor(header.alg, key, 'verify');
  if (parts === undefined || node === undefined || header.b64 !== undefined) {
    await compactVerify(compact, key, { algorithms: [...algorithms] });
    return;
  }
  const { payload, signature, signingInputLength } = parts;
  // What jose checks once it has the key, in its order: an ASCII payload, a base64url
  // signature, the signature itself, then a base64url payload (one test when it is base64url).
  const base64urlPayload = base64urlChecked || BASE64URL.test(payload);
  if (!base64urlPayload && !ASCII.test(payload)) {
    throw new errors.JWSInvalid('JWS Compact Serialization payload must use only ASCII characters');
  }
  if (!base64urlChecked && !BASE64URL.test(signature)) {
    throw new errors.JWSInvalid('Failed to base64url decode the signature');
  }
  const valid = await checkSignature(
    node.hash,
    signingInputOf(compact, signingInputLength),
    { key: node.keyObject, dsaEncoding: 'ieee-p1363' },
    signatureBytesOf(signature),
    threadPool,
  );
  if (!valid) {
    throw new errors.JWSSignatureVerificationFailed();
  }
  if (!base64urlPayload) {
    throw new errors.JWSInvalid('Failed to base64url decode the payload');
  }
}

/**
 * crypto.verify in this thread, or on the thread pool. An asynchronous job copies its data and
 * signature before it returns (node's crypto jobs do for kCryptoJobAsync), so the reused buffers
 * below are free for the next check at once.
 */
function checkSignature(
  hash: string | null,
  data: Buffer,
  key: VerifyKeyObjectInput,
  signature: Buffer,
  threadPool: boolean,
): boolean | Promise<boolean> {
  if (!threadPool) {
    return verify(hash, data, key, signature);
  }
  return new Promise((resolve, reject) => {
    verify(hash, data, key, signature, (error, valid) => {
      if (error) {
        reject(error);
      } else {
        resolve(valid);
      }
    });
  });
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
    // jose parsed the same segment of a three-part compact JWS as decodeHeader does.
    acceptedHeaders.add(decodeHeader(compact));
  }
  return accepted;
}

/** The header of `compact` if jose accepted it before and `alg` is among `algorithms` (its last check). */
function acceptedBefore(
  compact: string,
  algorithms: readonly string[],
): JWSHeaderParameters | undefined {
  let header: JWSHeaderParameters;
  try {
    header = decodeHeader(compact);
  } catch {
    return undefined;
  }
  return acceptedHeaders.has(header) && algorithms.includes(header.alg ?? '') ? header : undefined;
}

/** The three parts of a compact JWS (what jose's split requires), else undefined. */
function compactParts(
  compact: string,
): { payload: string; signature: string; signingInputLength: number } | undefined {
  const first = compact.indexOf('.');
  const second = first < 0 ? -1 : compact.indexOf('.', first + 1);
  if (second < 0 || compact.indexOf('.', second + 1) >= 0) {
    return undefined;
  }
  return {
    payload: compact.slice(first + 1, second),
    signature: compact.slice(second + 1),
    signingInputLength: second,
  };
}

/**
 * The ASCII signing input (checked above) in a buffer reused by every check: crypto.verify
 * without a callback is done with it before it returns, and a fresh buffer per signature was
 * garbage the partner API collected on every call.
 */
function signingInputOf(compact: string, length: number): Buffer {
  if (signingInput.length < length) {
    signingInput = Buffer.allocUnsafe(length);
  }
  signingInput.write(compact, 0, length, 'latin1');
  return signingInput.subarray(0, length);
}

function signatureBytesOf(signature: string): Buffer {
  if (signature.length > MAX_REUSED_SIGNATURE_CHARS) {
    return Buffer.from(signature, 'base64url');
  }
  return signatureBytes.subarray(0, signatureBytes.write(signature, 0, 'base64url'));
}
