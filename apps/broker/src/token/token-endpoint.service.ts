import { Inject, Injectable } from '@nestjs/common';
import { TOKEN_TYPE_JWT } from '@baton/chain/protocol';
import { ClientAuthenticator } from '../clients/client-authenticator.service.js';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { DpopProofService } from '../dpop/dpop-proof.service.js';
import { SeenJtiStore } from '../dpop/seen-jti.store.js';
import type { HttpRequest } from '../oauth/http-types.js';
import { noteIssued } from '../observability/token-outcome.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { TOKEN_GRANTS, type GrantOutcome, type TokenGrant } from './grants/token-grant.js';
import { parseTokenForm, requiredParam } from './token-form.js';

/** RFC 6749 §5.1 / RFC 8693 §2.2.1 / RFC 9449 §5 successful token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'DPoP' | 'N_A';
  expires_in: number;
  scope: string;
  issued_token_type?: string;
}

/**
 * The token endpoint's sequence: read the form, pick the grant, check its parameters,
 * authenticate the client and check the DPoP proof (side by side, refusing in that order), run
 * the grant. Cheap refusals come before
 * anything is checked for reuse (assertion jti, proof jti). Those are recorded in the
 * transaction that issues the token, or, when the grant refuses the request, right after: a
 * proof or assertion accepted once is never accepted again, whatever the outcome.
 */
@Injectable()
export class TokenEndpointService {
  private readonly grants: ReadonlyMap<string, TokenGrant>;

  constructor(
    @Inject(TOKEN_GRANTS) grants: readonly TokenGrant[],
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly clients: ClientAuthenticator,
    private readonly dpop: DpopProofService,
    private readonly seen: SeenJtiStore,
  ) {
    this.grants = new Map(grants.map((grant) => [grant.grantType, grant]));
  }

  async handle(request: HttpRequest): Promise<TokenResponse> {
    const form = parseTokenForm(request);
    const grantType = requiredParam(form, 'grant_type');
    const grant = this.grants.get(grantType);
    if (grant === undefined) {
      throw new OAuthError(
        'unsupported_grant_type',
        'grant_type is not supported by this token endpoint',
      );
    }
    const params = grant.parse(form);
    const now = epochSeconds(this.clock);
    // Both checks run side by side, so their replay pre-checks (reads) can share one query;
    // neither writes anything. Their refusals keep this order: client authentication, the
    // grant type, then the DPoP proof.
    const authenticating = this.clients.authenticate(
      singleHeader(request.headers.authorization),
      form,
    );
    const verifyingProof = this.dpop.verify(request.headers, now);
    // Its refusal is reported below, or not at all when the client's comes first.
    verifyingProof.catch(() => undefined);
    const { client, singleUse } = await authenticating;
    // RFC 6749 §5.2 unauthorized_client: the client may not use this grant type.
    if (!client.grantTypes.includes(grantType)) {
      throw new OAuthError(
        'unauthorized_client',
        'the client is not allowed to use this grant_type',
      );
    }
    const accepted = await verifyingProof;
    const used = singleUse === undefined ? [accepted.singleUse] : [singleUse, accepted.singleUse];
    let outcome: GrantOutcome;
    try {
      outcome = await grant.handle(params, { client, proof: accepted.proof, now, singleUse: used });
    } catch (error) {
      // RFC 9449 §4.3 item 11: a proof received with a request the grant refused is used up too.
      await this.seen.consume(used, now);
      throw error;
    }
    const { issued, issuedTokenType } = outcome;
    const response: TokenResponse = {
      access_token: issued.token,
      ...(issuedTokenType === undefined ? {} : { issued_token_type: issuedTokenType }),
      // RFC 9449 §5: a DPoP-bound access token has token_type DPoP; RFC 8693 §2.2.1: N_A for a
      // token issued as a JWT authorization grant rather than as an access token.
      token_type: issuedTokenType === TOKEN_TYPE_JWT ? 'N_A' : 'DPoP',
      expires_in: issued.claims.exp - now,
      scope: issued.claims.scope,
    };
    noteIssued(response, issued.claims.jti, issued.claims.client_id);
    return response;
  }

  /** RFC 9449 §8: a fresh nonce with every answer, so clients rarely need a retry. */
  currentNonce(): string {
    return this.dpop.currentNonce();
  }
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
