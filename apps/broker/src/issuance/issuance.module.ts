import { Module } from '@nestjs/common';
import { LinkCache } from '@baton/chain';
import { DpopModule } from '../dpop/dpop.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { ISSUANCE_PARTICIPANTS } from './issuance-participant.js';
import { ISSUANCE_PARTICIPANT_REGISTRATIONS as REGISTRATIONS } from './issuance-participants.js';
import { IssuanceWriter } from './issuance-writer.js';
import { TokenIssuer } from './token-issuer.service.js';

/**
 * Issuance: TokenIssuer signs; IssuanceWriter commits each token's record, its single-use rows
 * and whatever the registered participants add (audit event) in one transaction per batch of
 * concurrent tokens. Grants call TokenIssuer only.
 *
 * The LinkCache is the broker's one cache of verified links, shared with the token endpoint's
 * PresentedTokenVerifier: TokenIssuer tells it which tokens and links this broker signed and
 * which proofs it verified, so an agent exchanging its token here again costs no recomputation
 * of those signatures.
 */
@Module({
  imports: [KeysModule, DpopModule, ...REGISTRATIONS.map((r) => r.module)],
  providers: [
    {
      provide: ISSUANCE_PARTICIPANTS,
      useFactory: (...participants: unknown[]) => participants,
      inject: REGISTRATIONS.map((r) => r.participant),
    },
    // Subject tokens are single-use: remembering whole tokens would only cost memory.
    { provide: LinkCache, useFactory: () => new LinkCache({ maxTokens: 0 }) },
    IssuanceWriter,
    TokenIssuer,
  ],
  exports: [TokenIssuer, LinkCache],
})
export class IssuanceModule {}
