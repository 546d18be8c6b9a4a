export {
  ActMismatchError,
  AttenuationError,
  ChainError,
  ContinuityError,
  DepthError,
  DpopProofError,
  HopProofError,
  InsufficientScopeError,
  KeyBindingError,
  LinkageError,
  MalformedChainError,
  RequestError,
  SignatureError,
  StatusError,
} from './lib/errors.js';
export type {
  ChainErrorCode,
  ChainErrorDetail,
  ChainErrorOptions,
  Invariant,
} from './lib/errors.js';
export { TrustStore } from './trust-store.js';
export type { TrustedIssuer, TrustStoreOptions } from './trust-store.js';
export type { KeySourceEvent, KeySourceListener } from './key-source-event.js';
export type { IssuerRole } from './protocol/index.js';
export { verifyChain } from './verify-chain.js';
export type { VerifyChainOptions } from './verify-chain.js';
export type {
  Hop,
  OriginTokenClaims,
  VerifiedChain,
  VerifiedChainedToken,
  VerifiedOriginToken,
} from './protocol/index.js';
export { checkChainPath } from './lib/chain-path.js';
export { verifyDpopProof } from './lib/dpop-proof.js';
export type { VerifiedDpopProof, VerifyDpopProofOptions } from './lib/dpop-proof.js';
export { hopBinding, verifyHopBinding } from './lib/hop-binding.js';
export type { HopRequestTarget } from './lib/hop-binding.js';
export {
  failOpenIssuersOf,
  parseTrustConfig,
  TrustConfigError,
  trustConfigProblems,
  trustedIssuersOf,
  trustStoreFromConfig,
} from './trust-config.js';
export type { ConfigProblem, TrustConfig, TrustedIssuerConfig } from './trust-config.js';
export { LinkCache } from './link-cache.js';
export type { CachedLink, LinkCacheOptions } from './link-cache.js';
export { hashCompact } from './lib/hash.js';
export { verifyCompactJws, type VerifyCompactJwsOptions } from './lib/verify-jws.js';
export { decodeChain } from './decode-chain.js';
export type { DecodedChain, DecodedLink } from './decode-chain.js';
export type { ReplayStore } from './lib/replay-store.js';
export { MemoryReplayStore } from './replay-store.js';
export type { MemoryReplayStoreOptions } from './replay-store.js';
export { httpStatusFor, resourceErrorFor, wwwAuthenticate } from './www-authenticate.js';
export { describeFailedCheck } from './lib/describe-failed-check.js';
export type { ChallengeOptions, ResourceError, ResourceErrorCode } from './www-authenticate.js';
export { verifyRequest } from './verify-request.js';
export type { PresentedRequest, VerifiedRequest, VerifyRequestOptions } from './verify-request.js';
export { StatusListClient } from './status-list.js';
export type { StatusListClientOptions } from './status-list.js';
export {
  createStatusList,
  decodeStatusList,
  encodeStatusList,
  readStatus,
  writeStatus,
} from './status-list-format.js';
export type { StatusBits, StatusList } from './status-list-format.js';
