import { readFile, writeFile } from 'node:fs/promises';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';

/** The agent's key: it signs every DPoP proof and client assertion; `cnf.jkt` names it. */
export interface AgentKey {
  readonly privateKey: CryptoKey;
  /** Extractable: it travels in every DPoP proof's `jwk` header. */
  readonly publicKey: CryptoKey;
  /** The public JWK (with `kid`, `alg`, `use`), to register the agent as a client. */
  readonly publicJwk: JWK;
  /** RFC 7638 SHA-256 thumbprint of the public key: the `cnf.jkt` of every token. */
  readonly jkt: string;
  readonly alg: string;
  readonly kid: string;
}

/** Algorithms an agent key may use (DPoP and private_key_jwt both accept them at Baton brokers). */
export type AgentKeyAlgorithm = 'ES256' | 'ES384' | 'EdDSA';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;

/**
 * Imports a private JWK as the agent key. `alg` defaults to the JWK's own, else ES256; `kid`
 * defaults to the key's thumbprint.
 *
 * @example
 * const key = await importAgentKey(JSON.parse(await readFile('agent.private.jwk.json', 'utf8')));
 */
export async function importAgentKey(privateJwk: JWK): Promise<AgentKey> {
  if (typeof privateJwk.d !== 'string') {
    throw new TypeError('the agent key must be a private JWK (it has no "d")');
  }
  const alg = privateJwk.alg ?? 'ES256';
  const publicMembers = Object.fromEntries(
    Object.entries(privateJwk).filter(
      ([name]) => !(PRIVATE_MEMBERS as readonly string[]).includes(name),
    ),
  ) as JWK;
  const jkt = await calculateJwkThumbprint(publicMembers);
  const kid = privateJwk.kid ?? jkt;
  const publicJwk: JWK = { ...publicMembers, kid, alg, use: 'sig' };
  return {
    privateKey: (await importJWK({ ...privateJwk, kid }, alg)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, alg, { extractable: true })) as CryptoKey,
    publicJwk,
    jkt,
    alg,
    kid,
  };
}

/** A fresh agent key and its private JWK (keep it secret; store it with {@link saveAgentKey}). */
export async function generateAgentKey(
  alg: AgentKeyAlgorithm = 'ES256',
): Promise<{ key: AgentKey; privateJwk: JWK }> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const exported = await exportJWK(privateKey);
  const privateJwk: JWK = { ...exported, alg, kid: await calculateJwkThumbprint(exported) };
  return { key: await importAgentKey(privateJwk), privateJwk };
}

/**
 * The agent key stored as a private JWK in `path`; when the file does not exist, a new key is
 * generated and written there (created exclusively, mode 0600). Register `key.publicJwk` with
 * each domain the agent is a client of.
 */
export async function loadOrCreateAgentKey(
  path: string,
  alg: AgentKeyAlgorithm = 'ES256',
): Promise<AgentKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
    const { key, privateJwk } = await generateAgentKey(alg);
    await saveAgentKey(path, privateJwk);
    return key;
  }
  return importAgentKey(JSON.parse(text) as JWK);
}

/** Writes a private JWK to a new file readable by its owner only; never overwrites. */
export async function saveAgentKey(path: string, privateJwk: JWK): Promise<void> {
  await writeFile(path, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
}
