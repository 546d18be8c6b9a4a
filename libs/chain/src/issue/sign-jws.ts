import { sign } from 'node:crypto';
import { CompactSign, type CryptoKey, type KeyObject } from 'jose';
import { nodeKeyFor } from '../lib/node-signatures.js';

/** The protected header of every JWS a domain signs: nothing else (no `crit`, no `b64`). */
export interface SigningHeader {
  alg: string;
  typ: string;
  kid: string;
}

/** Encoded protected headers by their JSON: a domain's header repeats on every token and link. */
const encodedHeaders = new Map<string, string>();
const MAX_ENCODED_HEADERS = 64;

/**
 * A compact JWS (RFC 7515 §7.1) of `payload` (UTF-8 text, a JWT's claims as JSON) under the
 * protected header `header`, as jose's CompactSign makes it: the header's JSON and the payload,
 * each base64url-encoded, joined by `.`, then the signature of those bytes.
 *
 * For ES256, ES384 and EdDSA with a private key jose would accept for the algorithm,
 * node:crypto makes the signature itself (RFC 7518 §3.4: `R || S`, fixed width). jose signs
 * through WebCrypto's thread pool, whose hand-off cost the broker's main thread more than the
 * signature (docs/performance.md). Any other algorithm or key goes to jose whole, which also
 * refuses a key that does not fit. A header with more than `alg`, `typ` and `kid` is not
 * expressible here, so jose's header rules (`crit`, `b64`) have nothing to apply to.
 */
export async function signCompactJws(
  payload: string,
  header: SigningHeader,
  key: CryptoKey | KeyObject,
): Promise<string> {
  const node = nodeKeyFor(header.alg, key, 'sign');
  if (node === undefined) {
    return new CompactSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: header.alg, typ: header.typ, kid: header.kid })
      .sign(key);
  }
  const signingInput = `${encodedHeader(header)}.${Buffer.from(payload, 'utf8').toString('base64url')}`;
  const signature = sign(node.hash, Buffer.from(signingInput, 'latin1'), {
    key: node.keyObject,
    dsaEncoding: 'ieee-p1363',
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

function encodedHeader(header: SigningHeader): string {
  const json = JSON.stringify({ alg: header.alg, typ: header.typ, kid: header.kid });
  let encoded = encodedHeaders.get(json);
  if (encoded === undefined) {
    encoded = Buffer.from(json, 'utf8').toString('base64url');
    if (encodedHeaders.size >= MAX_ENCODED_HEADERS) {
      encodedHeaders.clear();
    }
    encodedHeaders.set(json, encoded);
  }
  return encoded;
}
