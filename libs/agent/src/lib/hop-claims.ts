/** What the agent asks for at one token exchange, besides the subject token. */
export interface HopTarget {
  readonly audience: string;
  readonly scope?: string;
}

/**
 * The claims the agent adds to its DPoP proof at a token exchange to bind the proof to that hop.
 * The single place the protocol's hop binding enters the agent's proofs.
 *
 * PENDING(protocol, issue 13): once `@baton/chain` exports `hopBinding` and `HOP_BINDING_CLAIM`
 * (`baton_hop`, docs/chain-spec.md §3.1), return
 * `{ [HOP_BINDING_CLAIM]: hopBinding(subjectToken, target) }` here.
 */
export function hopProofClaims(_subjectToken: string, _target: HopTarget): Record<string, unknown> {
  return {};
}
