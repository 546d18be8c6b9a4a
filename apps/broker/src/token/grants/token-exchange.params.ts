import { TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_JWT } from '@baton/chain/protocol';
import { invalidRequest } from '../../oauth/oauth-error.js';
import { requestedTarget } from '../policy/requested-target.js';
import { requiredParam, scopeParam, type TokenForm } from '../token-form.js';

export interface TokenExchangeParams {
  subjectToken: string;
  actorToken: string | undefined;
  scope: string[] | undefined;
  target: string | undefined;
}

const PRESENTABLE_TYPES: readonly string[] = [TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_JWT];

/** RFC 8693 §2.1 request parameters, checked before anything is verified or consumed. */
export function parseTokenExchange(form: TokenForm): TokenExchangeParams {
  const subjectToken = requiredParam(form, 'subject_token');
  // RFC 8693 §2.1: subject_token_type is required; Baton accepts JWT access tokens.
  if (!PRESENTABLE_TYPES.includes(requiredParam(form, 'subject_token_type'))) {
    throw invalidRequest('unsupported subject_token_type');
  }
  const actorToken = form.get('actor_token');
  const actorTokenType = form.get('actor_token_type');
  // RFC 8693 §2.1: actor_token_type is required with actor_token and must not appear without it.
  if ((actorToken === undefined) !== (actorTokenType === undefined)) {
    throw invalidRequest('actor_token and actor_token_type must be sent together');
  }
  if (actorTokenType !== undefined && !PRESENTABLE_TYPES.includes(actorTokenType)) {
    throw invalidRequest('unsupported actor_token_type');
  }
  // RFC 8693 §2.1: requested_token_type; this domain issues access tokens only.
  const requested = form.get('requested_token_type');
  if (requested !== undefined && requested !== TOKEN_TYPE_ACCESS_TOKEN) {
    throw invalidRequest(`requested_token_type must be ${TOKEN_TYPE_ACCESS_TOKEN}`);
  }
  return { subjectToken, actorToken, scope: scopeParam(form), target: requestedTarget(form) };
}
