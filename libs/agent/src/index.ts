export {
  generateAgentKey,
  importAgentKey,
  loadOrCreateAgentKey,
  saveAgentKey,
} from './agent-key.js';
export type { AgentKey, AgentKeyAlgorithm } from './agent-key.js';
export { BatonAgent } from './baton-agent.js';
export type {
  AgentRequestEvent,
  BatonAgentOptions,
  ExchangeStep,
  IssuedToken,
  OriginStep,
} from './baton-agent.js';
