import { Inject, Injectable } from '@nestjs/common';
import type { VerifiedChain } from '@baton/chain';
import {
  CHAIN_CLAIM,
  GRANT_TYPE_TOKEN_EXCHANGE,
  type ActorClaim,
  type ChainClaim,
} from '@baton/chain/protocol';
import { BROKER_CONFIG, type BrokerConfig, type PeerConfig } from '../../config/broker-config.js';
import { TokenIssuer, type PreviousHop } from '../../issuance/token-issuer.service.js';
import {
  capExpiry,
  checkChainShape,
  checkTargetNotRevisited,
} from '../policy/chain-shape.policy.js';
import { grantScope, type ScopeLimit } from '../policy/scope.policy.js';
import { chooseAudience, targetPolicyOf, type TargetPolicy } from '../policy/target.policy.js';
import { PresentedTokenVerifier } from '../presented-token.verifier.js';
import type { TokenForm } from '../token-form.js';
import { ActorDelegation } from './actor-delegation.js';
import { parseTokenExchange, type TokenExchangeParams } from './token-exchange.params.js';
import type { GrantContext, GrantOutcome, TokenGrant } from './token-grant.js';
import { OAuthError } from '../../oauth/oauth-error.js';

/**
 * RFC 8693 token exchange, one hop of a Baton chain: the subject token is verified whole
 * (libs/chain), the proof key must be the one it is bound to (or, with an actor token, the
 * actor's), and the new token keeps `sub` and `cnf.jkt`, gains one `act` level and one link,
 * never widens scope or extends expiry, and obeys the presenting peer's policy.
 */
@Injectable()
export class TokenExchangeGrant implements TokenGrant<TokenExchangeParams> {
  readonly grantType = GRANT_TYPE_TOKEN_EXCHANGE;
  private readonly targets: TargetPolicy;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly verifier: PresentedTokenVerifier,
    private readonly delegation: ActorDelegation,
    private readonly issuer: TokenIssuer,
  ) {
    this.targets = targetPolicyOf(config);
  }

  parse(form: TokenForm): TokenExchangeParams {
    return parseTokenExchange(form);
  }

  async handle(
    params: TokenExchangeParams,
    { client, proof, now }: GrantContext,
  ): Promise<GrantOutcome> {
    const subject = await this.verifier.verify(params.subjectToken, 'subject_token', now);
    const binding =
      params.actorToken === undefined
        ? { jkt: directBinding(subject, proof.jkt), exp: Number(subject.claims.exp) }
        : await this.delegation.bind(subject, params.actorToken, client.clientId, proof.jkt, now);
    const presenter = String(subject.claims.iss);
    const peer =
      presenter === this.config.issuer
        ? undefined
        : this.config.peers.find((p) => p.issuer === presenter);
    const previousIssuers = subject.links.map((link) => link.iss);
    // DESIGN §3 invariant 8: depth (the new link counts) within the domain's and the peer's cap.
    checkChainShape(
      previousIssuers,
      this.config.issuer,
      Math.min(this.config.policy.maxChainDepth, peer?.maxChainDepth ?? Infinity),
    );
    const scope = grantScope(
      params.scope,
      this.scopeLimits(subject, client.scopes, presenter, peer),
    );
    const aud = chooseAudience(params.target, this.targets, peer);
    checkTargetNotRevisited(previousIssuers, this.config.issuer, aud);
    const { maxTokenTtlSeconds } = this.config.tokens;
    const issued = await this.issuer.issue({
      grantType: this.grantType,
      clientId: client.clientId,
      sub: subject.subject,
      aud,
      scope,
      iat: now,
      exp: capExpiry(now, maxTokenTtlSeconds, maxTokenTtlSeconds, binding.exp),
      jkt: binding.jkt,
      proof: proof.compact,
      previous: previousHop(subject),
    });
    return { issued, issuedTokenType: params.requestedTokenType };
  }

  private scopeLimits(
    subject: VerifiedChain,
    clientScopes: readonly string[],
    presenter: string,
    peer: PeerConfig | undefined,
  ): ScopeLimit[] {
    const limits: ScopeLimit[] = [
      { name: "the subject token's scope", scopes: subject.scope },
      { name: "the client's allowed scopes", scopes: clientScopes },
    ];
    if (peer !== undefined) {
      limits.push({
        name: 'what policy lets the presenting peer bring in',
        scopes: peer.allowedScopes,
      });
    }
    const external =
      subject.depth === 0
        ? this.config.externalIssuers.find((idp) => idp.issuer === presenter)
        : undefined;
    if (external !== undefined) {
      limits.push({
        name: 'what policy lets the origin issuer bring in',
        scopes: external.allowedScopes,
      });
    }
    return limits;
  }
}

/** RFC 9449 §6.1 with DESIGN §3 invariant 3: the agent proving possession is the one the token is bound to. */
function directBinding(subject: VerifiedChain, proofJkt: string): string {
  if (proofJkt !== subject.agentKeyThumbprint) {
    throw new OAuthError(
      'invalid_grant',
      'the DPoP proof key is not the key the subject token is bound to',
    );
  }
  return proofJkt;
}

/** The chain the new link extends; an unchained origin token starts a fresh one. */
function previousHop(subject: VerifiedChain): PreviousHop {
  const chained = subject.depth > 0;
  const chain = subject.claims[CHAIN_CLAIM] as ChainClaim | undefined;
  return {
    subject: {
      iss: String(subject.claims.iss),
      jti: String(subject.claims.jti),
      hash: subject.tokenHash,
    },
    links: chained && chain !== undefined ? chain.links : [],
    linkHashes: chained ? subject.linkHashes : [],
    act: chained ? (subject.claims.act as ActorClaim | undefined) : undefined,
  };
}
