import { KeyObject } from 'node:crypto';
import type { CryptoKey, KeyObject as JoseKeyObject } from 'jose';

/**
 * The algorithms whose signatures node:crypto makes and checks in the hot paths, once jose's
 * rules are applied (verify-jws.ts, sign-jws.ts), and the key each needs. `hash` is what
 * node:crypto's `sign`/`verify` take: `null` for EdDSA, which hashes internally.
 */
export const NODE_ALGORITHMS: Readonly<
  Record<string, { keyType: string; curve?: string; hash: string | null; webCrypto: string }>
> = {
  ES256: { keyType: 'ec', curve: 'prime256v1', hash: 'sha256', webCrypto: 'ECDSA' },
  ES384: { keyType: 'ec', curve: 'secp384r1', hash: 'sha384', webCrypto: 'ECDSA' },
  EdDSA: { keyType: 'ed25519', hash: null, webCrypto: 'Ed25519' },
  Ed25519: { keyType: 'ed25519', hash: null, webCrypto: 'Ed25519' },
};

let enabled = true;

/**
 * Tests only: `false` makes every signature go through jose alone, made and checked, so the
 * suites can show both paths give the same answers.
 */
export function useNodeSignatures(on: boolean): void {
  enabled = on;
}

const keyObjects = new WeakMap<CryptoKey, KeyObject>();

/**
 * The node:crypto key for `key` under `alg` when node:crypto may do the arithmetic: the fast
 * path is on, the algorithm is one of NODE_ALGORITHMS, and the key is one jose would accept for
 * it (a private key to sign, a public one to verify, of the algorithm's type and curve; a
 * CryptoKey also of its WebCrypto algorithm and allowed this use). Otherwise undefined, and the
 * caller leaves everything to jose, which then refuses a wrong key in its own words.
 */
export function nodeKeyFor(
  alg: string | undefined,
  key: CryptoKey | JoseKeyObject,
  use: 'sign' | 'verify',
): { keyObject: KeyObject; hash: string | null } | undefined {
  const rule = NODE_ALGORITHMS[alg ?? ''];
  if (!enabled || rule === undefined) {
    return undefined;
  }
  let keyObject: KeyObject | undefined;
  if (key instanceof KeyObject) {
    keyObject = key;
  } else if (isCryptoKey(key)) {
    if (key.algorithm.name !== rule.webCrypto || !key.usages.includes(use)) {
      return undefined;
    }
    keyObject = keyObjectOf(key);
  }
  if (
    keyObject === undefined ||
    keyObject.type !== (use === 'sign' ? 'private' : 'public') ||
    keyObject.asymmetricKeyType !== rule.keyType ||
    keyObject.asymmetricKeyDetails?.namedCurve !== rule.curve
  ) {
    return undefined;
  }
  return { keyObject, hash: rule.hash };
}

function isCryptoKey(key: CryptoKey | JoseKeyObject): key is CryptoKey {
  return (key as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'CryptoKey';
}

function keyObjectOf(key: CryptoKey): KeyObject | undefined {
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
