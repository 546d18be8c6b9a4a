import { MalformedChainError } from './lib/errors.js';
import { decodeCompact, parseLink } from './lib/parse-chain.js';
import { isObject } from './lib/json.js';
import { CHAIN_CLAIM, DEFAULT_MAX_TOKEN_BYTES, type LinkClaims } from './protocol/index.js';

export interface DecodedLink {
  header: Record<string, unknown>;
  claims: LinkClaims;
  /** base64url(SHA-256) of the compact link, as the next link's `prev` names it. */
  hash: string;
}

export interface DecodedChain {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  links: DecodedLink[];
}

/**
 * Decodes a delegated token and its links **without verifying anything** — no signature, trust,
 * time or chain rule — for inspection tools such as the auditor CLI. Never base a decision on it.
 *
 * @example decodeChain(token).links.map((l) => l.claims.iss)
 * @throws MalformedChainError when the input is not a token with well-formed links (any garbage).
 */
export function decodeChain(token: string, options: { maxTokenBytes?: number } = {}): DecodedChain {
  const maxTokenBytes = options.maxTokenBytes ?? 4 * DEFAULT_MAX_TOKEN_BYTES;
  if (typeof token !== 'string' || token.length > maxTokenBytes) {
    throw new MalformedChainError('token missing or too large', { claim: 'size' });
  }
  const decoded = decodeCompact(token.trim(), 64);
  const chain = decoded.payload[CHAIN_CLAIM];
  const compacts: unknown[] =
    isObject(chain) && Array.isArray(chain['links']) ? chain['links'] : [];
  if (chain !== undefined && compacts.length === 0) {
    throw new MalformedChainError('chain claim malformed', { claim: CHAIN_CLAIM });
  }
  const links = compacts.map((compact, index) => {
    const { header, claims, hash } = parseLink(compact, index, 64);
    return { header: header, claims, hash };
  });
  return { header: decoded.header, claims: decoded.payload, links };
}
