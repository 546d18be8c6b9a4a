import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { DpopModule } from '../dpop/dpop.module.js';
import { IssuanceModule } from '../issuance/issuance.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { TokenOutcomeRecorder } from '../observability/token-outcome.recorder.js';
import { StatusModule } from '../revocation/status.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { TrustModule } from '../trust/trust.module.js';
import { ActorDelegation } from './grants/actor-delegation.js';
import { ClientCredentialsGrant } from './grants/client-credentials.grant.js';
import { JwtBearerGrant } from './grants/jwt-bearer.grant.js';
import { TOKEN_GRANTS } from './grants/token-grant.js';
import { TokenExchangeGrant } from './grants/token-exchange.grant.js';
import { PresentedTokenVerifier } from './presented-token.verifier.js';
import { TokenEndpointService } from './token-endpoint.service.js';
import { TokenController } from './token.controller.js';

/** The token endpoint: client_credentials, token exchange and JWT grants, DPoP-bound, chained. */
@Module({
  imports: [
    OAuthModule,
    KeysModule,
    DpopModule,
    ClientsModule,
    IssuanceModule,
    TrustModule,
    StatusModule,
    ThrottlingModule,
  ],
  controllers: [TokenController],
  providers: [
    PresentedTokenVerifier,
    ActorDelegation,
    ClientCredentialsGrant,
    TokenExchangeGrant,
    JwtBearerGrant,
    {
      provide: TOKEN_GRANTS,
      useFactory: (...grants: unknown[]) => grants,
      inject: [ClientCredentialsGrant, TokenExchangeGrant, JwtBearerGrant],
    },
    TokenEndpointService,
    TokenOutcomeRecorder,
  ],
})
export class TokenModule {}
