export {
  delegatedTokenClaims,
  extendChain,
  originChain,
  signDelegatedToken,
  signLink,
} from './issue-chain.js';
export type { ChainHop, IssueChainOptions, IssuedChain, SigningKey } from './issue-chain.js';
