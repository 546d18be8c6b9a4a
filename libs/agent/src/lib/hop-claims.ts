import { hopBinding } from '@baton/chain';
import { HOP_BINDING_CLAIM } from '@baton/chain/protocol';

/** What the agent asks for at one token exchange, besides the subject token. */
export interface HopTarget {
  readonly audience: string;
  readonly scope?: string;
}

/**
 * The claims the agent adds to its DPoP proof at a token exchange: docs/chain-spec.md §3.1
 * `baton_hop`, binding the proof to the subject token (and its last link) and to the audience
 * and scope asked for, so no domain can reuse the proof to extend another chain. The single
 * place the protocol's hop binding enters the agent's proofs.
 */
export function hopProofClaims(subjectToken: string, target: HopTarget): Record<string, unknown> {
  return { [HOP_BINDING_CLAIM]: hopBinding(subjectToken, target) };
}
