export {
  delegatedTokenClaims,
  extendChain,
  originChain,
  signDelegatedToken,
  signLink,
} from './issue-chain.js';
export { signStatusListToken } from './sign-status-list.js';
export type { ChainHop, IssueChainOptions, IssuedChain, SigningKey } from './issue-chain.js';
