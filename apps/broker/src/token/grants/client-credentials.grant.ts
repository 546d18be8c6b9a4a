import { Inject, Injectable } from '@nestjs/common';
import { GRANT_TYPE_CLIENT_CREDENTIALS } from '@baton/chain/protocol';
import { BROKER_CONFIG, type BrokerConfig } from '../../config/broker-config.js';
import { checkHopBinding } from '../../dpop/hop-binding.check.js';
import { TokenIssuer } from '../../issuance/token-issuer.service.js';
import { capExpiry } from '../policy/chain-shape.policy.js';
import { grantScope } from '../policy/scope.policy.js';
import { chooseAudience } from '../../trust/audience.policy.js';
import { ChainTrust } from '../../trust/chain-trust.service.js';
import { requestedTarget } from '../policy/requested-target.js';
import { scopeParam, type TokenForm } from '../token-form.js';
import type { GrantContext, GrantOutcome, TokenGrant } from './token-grant.js';

interface ClientCredentialsParams {
  scope: string[] | undefined;
  target: string | undefined;
}

/**
 * RFC 6749 §4.4: an origin token in this (home) domain. `sub` is the client, the scope is the
 * requested subset of the client's scopes (all of them when none is requested), `aud` this
 * domain unless `resource`/`audience` names an allowed target; chain [L0] without sbj or act.
 */
@Injectable()
export class ClientCredentialsGrant implements TokenGrant<ClientCredentialsParams> {
  readonly grantType = GRANT_TYPE_CLIENT_CREDENTIALS;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly trust: ChainTrust,
    private readonly issuer: TokenIssuer,
  ) {}

  parse(form: TokenForm): ClientCredentialsParams {
    return { scope: scopeParam(form), target: requestedTarget(form) };
  }

  async handle(
    params: ClientCredentialsParams,
    { client, proof, now, singleUse }: GrantContext,
  ): Promise<GrantOutcome> {
    checkHopBinding(proof, undefined);
    const scope = grantScope(params.scope, [
      { name: "the client's allowed scopes", scopes: client.scopes },
    ]);
    const aud = chooseAudience(params.target, this.trust.targets);
    const { accessTokenTtlSeconds, maxTokenTtlSeconds } = this.config.tokens;
    const issued = await this.issuer.issue({
      grantType: this.grantType,
      clientId: client.clientId,
      sub: client.clientId,
      aud,
      scope,
      iat: now,
      exp: capExpiry(now, Math.min(accessTokenTtlSeconds, maxTokenTtlSeconds)),
      jkt: proof.jkt,
      proof,
      singleUse,
    });
    return { issued };
  }
}
