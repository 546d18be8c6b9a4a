import { Module } from '@nestjs/common';
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
 */
@Module({
  imports: [KeysModule, DpopModule, ...REGISTRATIONS.map((r) => r.module)],
  providers: [
    {
      provide: ISSUANCE_PARTICIPANTS,
      useFactory: (...participants: unknown[]) => participants,
      inject: REGISTRATIONS.map((r) => r.participant),
    },
    IssuanceWriter,
    TokenIssuer,
  ],
  exports: [TokenIssuer],
})
export class IssuanceModule {}
