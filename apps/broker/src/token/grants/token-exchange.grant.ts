import { Inject, Injectable } from '@nestjs/common';
import type { VerifiedChain } from '@baton/chain';
import { GRANT_TYPE_TOKEN_EXCHANGE } from '@baton/chain/protocol';
import { BROKER_CONFIG, type BrokerConfig } from '../../config/broker-config.js';
import { checkHopBinding } from '../../dpop/hop-binding.check.js';
import { TokenIssuer } from '../../issuance/token-issuer.service.js';
import { OAuthError } from '../../oauth/oauth-error.js';
import { chooseAudience } from '../../trust/audience.policy.js';
import { ChainTrust } from '../../trust/chain-trust.service.js';
import {
  capExpiry,
  checkChainShape,
  checkTargetNotRevisited,
} from '../policy/chain-shape.policy.js';
import { grantScope } from '../policy/scope.policy.js';
import { PresentedTokenVerifier } from '../presented-token.verifier.js';
import type { TokenForm } from '../token-form.js';
import { ActorDelegation } from './actor-delegation.js';
import { parseTokenExchange, type TokenExchangeParams } from './token-exchange.params.js';
import type { GrantContext, GrantOutcome, TokenGrant } from './token-grant.js';

/**
 * RFC 8693 token exchange, one hop of a Baton chain: the subject token is verified whole
 * (libs/chain), the proof key must be the one it is bound to (or, with an actor token, the
 * actor's), and the new token keeps `sub` and `cnf.jkt`, gains one `act` level and one link,
 * never widens scope or extends expiry, and obeys the policy of every peer the chain came
 * through (ChainTrust), same-domain hops included.
 */
@Injectable()
export class TokenExchangeGrant implements TokenGrant<TokenExchangeParams> {
  readonly grantType = GRANT_TYPE_TOKEN_EXCHANGE;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly verifier: PresentedTokenVerifier,
    private readonly delegation: ActorDelegation,
    private readonly trust: ChainTrust,
    private readonly issuer: TokenIssuer,
  ) {}

  parse(form: TokenForm): TokenExchangeParams {
    return parseTokenExchange(form);
  }

  async handle(
    params: TokenExchangeParams,
    { client, proof, now, singleUse }: GrantContext,
  ): Promise<GrantOutcome> {
    checkHopBinding(
      proof,
      {
        subjectToken: params.subjectToken,
        audience: params.target,
        scope: params.scope?.join(' '),
      },
      this.config.policy.requireBoundHopProofs,
    );
    const subject = await this.verifier.verify(params.subjectToken, 'subject_token', now);
    const binding =
      params.actorToken === undefined
        ? { jkt: directBinding(subject, proof.jkt), exp: subject.claims.exp }
        : await this.delegation.bind(subject, params.actorToken, client.clientId, proof.jkt, now);
    const policy = this.trust.policyFor(subject);
    const previousIssuers = subject.links.map((link) => link.iss);
    // docs/chain-spec.md §5 step 8: depth (the new link counts) within every applicable cap.
    checkChainShape(previousIssuers, this.config.issuer, policy.maxDepth);
    const scope = grantScope(params.scope, [
      { name: "the subject token's scope", scopes: subject.scope },
      { name: "the client's allowed scopes", scopes: client.scopes },
      ...policy.scopeLimits,
    ]);
    const aud = chooseAudience(params.target, this.trust.targets, policy.upstreamPeers);
    checkTargetNotRevisited(previousIssuers, this.config.issuer, aud);
    const issued = await this.issuer.issue({
      grantType: this.grantType,
      clientId: client.clientId,
      sub: subject.subject,
      aud,
      scope,
      iat: now,
      exp: capExpiry(now, this.config.tokens.maxTokenTtlSeconds, binding.exp),
      jkt: binding.jkt,
      proof,
      singleUse,
      subject,
    });
    return { issued, issuedTokenType: params.requestedTokenType };
  }
}

/** RFC 9449 §6.1 and invariant 3: the agent proving possession is the one the token is bound to. */
function directBinding(subject: VerifiedChain, proofJkt: string): string {
  if (proofJkt !== subject.agentKeyThumbprint) {
    throw new OAuthError(
      'invalid_grant',
      'the DPoP proof key is not the key the subject token is bound to',
    );
  }
  return proofJkt;
}
