import type { VerifiedDpopProof } from '@baton/chain';
import type { ClientConfig } from '../../config/broker-config.js';
import type { SingleUseClaim } from '../../dpop/seen-jti.store.js';
import type { IssuedToken } from '../../issuance/token-issuer.service.js';
import type { TokenForm } from '../token-form.js';

/** What the endpoint established before a grant runs. */
export interface GrantContext {
  readonly client: ClientConfig;
  /** The request's verified DPoP proof (RFC 9449 §4.3); its key becomes or must match cnf.jkt. */
  readonly proof: VerifiedDpopProof;
  /** Epoch seconds, fixed for the whole request. */
  readonly now: number;
  /** The proof and assertion identifiers the issuance transaction records (single use). */
  readonly singleUse: readonly SingleUseClaim[];
}

export interface GrantOutcome {
  readonly issued: IssuedToken;
  /** RFC 8693 §2.2.1 issued_token_type, for grants that answer with one. */
  readonly issuedTokenType?: string;
}

/**
 * One grant type, same shape for all: `parse` reads and checks the grant's own parameters
 * before any assertion or proof is consumed; `handle` decides and issues.
 */
export interface TokenGrant<Params = unknown> {
  readonly grantType: string;
  parse(form: TokenForm): Params;
  handle(params: Params, context: GrantContext): Promise<GrantOutcome>;
}

/** DI token of the grant list the endpoint looks grants up in by `grant_type`. */
export const TOKEN_GRANTS = Symbol('TOKEN_GRANTS');
