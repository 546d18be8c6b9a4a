import { Injectable } from '@nestjs/common';
import { GRANT_TYPE_JWT_BEARER, TOKEN_TYPE_ACCESS_TOKEN } from '@baton/chain/protocol';
import { requestedTarget } from '../policy/requested-target.js';
import { requiredParam, scopeParam, type TokenForm } from '../token-form.js';
import type { TokenExchangeParams } from './token-exchange.params.js';
import { TokenExchangeGrant } from './token-exchange.grant.js';
import type { GrantContext, GrantOutcome, TokenGrant } from './token-grant.js';

/**
 * RFC 7523 §2.1 JWT authorization grant, the cross-domain step of the OAuth identity-chaining
 * draft: the `assertion` is a delegated token another domain issued for this one (requested
 * there with `requested_token_type` JWT). It is one hop exactly as if it came as an RFC 8693
 * `subject_token` — verified whole, bound to the DPoP proof's key, attenuated, one more link —
 * so both ways yield the same chain. RFC 7523 §3: its `aud` must be this domain, checked by the
 * chain verification like any presented token's.
 */
@Injectable()
export class JwtBearerGrant implements TokenGrant<TokenExchangeParams> {
  readonly grantType = GRANT_TYPE_JWT_BEARER;

  constructor(private readonly exchange: TokenExchangeGrant) {}

  parse(form: TokenForm): TokenExchangeParams {
    return {
      // RFC 7523 §2.1: exactly one JWT in `assertion`.
      subjectToken: requiredParam(form, 'assertion'),
      actorToken: undefined,
      scope: scopeParam(form),
      target: requestedTarget(form),
      requestedTokenType: TOKEN_TYPE_ACCESS_TOKEN,
    };
  }

  async handle(params: TokenExchangeParams, context: GrantContext): Promise<GrantOutcome> {
    const { issued } = await this.exchange.handle(params, context);
    return { issued };
  }
}
