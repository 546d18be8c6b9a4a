import { Module } from '@nestjs/common';
import { TrustStore } from '@baton/chain';
import { ClientsModule } from '../clients/clients.module.js';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { DpopModule } from '../dpop/dpop.module.js';
import { TokenIssuer } from '../issuance/token-issuer.service.js';
import { KeysModule } from '../keys/keys.module.js';
import { KeysService } from '../keys/keys.service.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { ActorDelegation } from './grants/actor-delegation.js';
import { ClientCredentialsGrant } from './grants/client-credentials.grant.js';
import { JwtBearerGrant } from './grants/jwt-bearer.grant.js';
import { TOKEN_GRANTS } from './grants/token-grant.js';
import { TokenExchangeGrant } from './grants/token-exchange.grant.js';
import { PresentedTokenVerifier } from './presented-token.verifier.js';
import { buildSubjectTrustStore } from './subject-trust.factory.js';
import { TokenEndpointService } from './token-endpoint.service.js';
import { TokenController } from './token.controller.js';

/** The token endpoint: client_credentials, token exchange and JWT grants, DPoP-bound, chained. */
@Module({
  imports: [OAuthModule, KeysModule, DpopModule, ClientsModule],
  controllers: [TokenController],
  providers: [
    {
      provide: TrustStore,
      useFactory: (config: BrokerConfig, keys: KeysService) => buildSubjectTrustStore(config, keys),
      inject: [BROKER_CONFIG, KeysService],
    },
    PresentedTokenVerifier,
    ActorDelegation,
    TokenIssuer,
    ClientCredentialsGrant,
    TokenExchangeGrant,
    JwtBearerGrant,
    {
      provide: TOKEN_GRANTS,
      useFactory: (...grants: unknown[]) => grants,
      inject: [ClientCredentialsGrant, TokenExchangeGrant, JwtBearerGrant],
    },
    TokenEndpointService,
  ],
})
export class TokenModule {}
