export * from './errors.js';
export { TrustStore } from './trust-store.js';
export type { IssuerRole, TrustedIssuer, TrustStoreOptions } from './trust-store.js';
export {
  parseTrustConfig,
  TrustConfigError,
  trustConfigProblems,
  trustedIssuersOf,
  trustStoreFromConfig,
} from './trust-config.js';
export type { ConfigProblem, TrustConfig, TrustedIssuerConfig } from './trust-config.js';
export { verifyChain, DEFAULT_HOP_PROOF_MAX_AGE_SECONDS } from './verify-chain.js';
export { checkChainPath } from './check-chain-path.js';
export type { Hop, VerifiedChain, VerifyChainOptions } from './verify-chain.js';
export { verifyDpopProof } from './verify-dpop-proof.js';
export type { VerifiedDpopProof, VerifyDpopProofOptions } from './verify-dpop-proof.js';
export { LinkCache } from './link-cache.js';
export type { CachedLink, LinkCacheOptions } from './link-cache.js';
export {
  delegatedTokenClaims,
  hashCompact,
  nestAct,
  signDelegatedToken,
  signLink,
} from './issue.js';
export type { SigningKey } from './issue.js';
export { decodeChain } from './decode-chain.js';
export type { DecodedChain, DecodedLink } from './decode-chain.js';
export * from './replay-store.js';
export * from './www-authenticate.js';
export { verifyRequest } from './verify-request.js';
export type { PresentedRequest, VerifiedRequest, VerifyRequestOptions } from './verify-request.js';
