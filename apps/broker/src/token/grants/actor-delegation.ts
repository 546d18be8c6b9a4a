import { Injectable } from '@nestjs/common';
import type { VerifiedChain } from '@baton/chain';
import { invalidRequest, OAuthError } from '../../oauth/oauth-error.js';
import { PresentedTokenVerifier } from '../presented-token.verifier.js';

export interface DelegationBinding {
  /** The agent key the new token is bound to: the actor token's. */
  jkt: string;
  /** The earliest expiry of subject and actor token. */
  exp: number;
}

/**
 * RFC 8693 §1.1 delegation: a user's origin token as subject, the agent's own DPoP-bound token
 * as actor. The result keeps the user as `sub` and binds to the agent's key, so the subject
 * token must say this agent may act for it (`may_act`, §4.4) unless it is already bound to the
 * agent's key — otherwise anyone holding a stolen user token could rebind it to their own key.
 */
@Injectable()
export class ActorDelegation {
  constructor(private readonly verifier: PresentedTokenVerifier) {}

  async bind(
    subject: VerifiedChain,
    actorToken: string,
    clientId: string,
    proofJkt: string,
    now: number,
  ): Promise<DelegationBinding> {
    if (subject.depth > 0) {
      throw invalidRequest('actor_token is accepted only with an origin subject token');
    }
    const actor = await this.verifier.verify(actorToken, 'actor_token', now);
    // RFC 9449 §6.1: the proof is made with the key the actor token is bound to.
    if (proofJkt !== actor.agentKeyThumbprint) {
      throw new OAuthError(
        'invalid_grant',
        'the DPoP proof key is not the key the actor token is bound to',
      );
    }
    if (actor.subject !== clientId) {
      throw new OAuthError(
        'invalid_grant',
        'the actor token does not represent the authenticated client',
      );
    }
    checkMayAct(subject, actor);
    return {
      jkt: actor.agentKeyThumbprint,
      exp: Math.min(subject.claims.exp, actor.claims.exp),
    };
  }
}

function checkMayAct(subject: VerifiedChain, actor: VerifiedChain): void {
  const mayAct = subject.claims.may_act;
  if (mayAct === undefined) {
    if (subject.agentKeyThumbprint !== actor.agentKeyThumbprint) {
      throw new OAuthError(
        'invalid_grant',
        'the subject token does not name this actor in may_act',
      );
    }
    return;
  }
  // RFC 8693 §4.4: may_act names the party authorized to act for the subject.
  const issuerMatches = mayAct.iss === undefined || mayAct.iss === actor.claims.iss;
  if (mayAct.sub !== actor.subject || !issuerMatches) {
    throw new OAuthError('invalid_grant', 'the subject token does not name this actor in may_act');
  }
}
