import {
  ChainError,
  verifyHopBinding,
  type HopRequestTarget,
  type VerifiedDpopProof,
} from '@baton/chain';
import { oauthErrorFromChain } from '../oauth/chain-error.map.js';

/**
 * docs/chain-spec.md §3.1: when the agent's accepted proof carries `baton_hop`, it must name the
 * subject token presented here and the target and scope requested; on a grant without a subject
 * token it must be absent. A mismatch is RFC 9449 §5 `invalid_dpop_proof` naming the member.
 * The link records the proof whole, so every later verifier can check the same binding.
 */
export function checkHopBinding(
  proof: VerifiedDpopProof,
  request: ({ subjectToken: string } & HopRequestTarget) | undefined,
): void {
  try {
    verifyHopBinding(proof.compact, request);
  } catch (error) {
    throw error instanceof ChainError ? oauthErrorFromChain(error) : error;
  }
}
