export * from './chain-module-options.js';
export * from './chain.module.js';
export * from './delegation.guard.js';
export type {
  DelegationEvent,
  DelegationEventHook,
  VerifiedChainSummary,
} from './delegation-event.js';
export * from './delegation.decorator.js';
export * from './require-scopes.decorator.js';
export * from './presented-request.js';
export { RESOLVED_CHAIN_OPTIONS, type ResolvedChainOptions } from './resolved-chain-options.js';
