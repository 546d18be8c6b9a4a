import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { DpopModule } from '../dpop/dpop.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { TrustModule } from '../trust/trust.module.js';
import { AdminAuthenticator } from './admin-authenticator.js';
import { EndpointClientAuthenticator } from './endpoint-client.authenticator.js';
import { IntrospectionController } from './introspection.controller.js';
import { IntrospectionService } from './introspection.service.js';
import { RevocationController } from './revocation.controller.js';
import { RevocationService } from './revocation.service.js';
import { StatusListController } from './status-list.controller.js';
import { StatusListPublisher } from './status-list.publisher.js';
import { StatusModule } from './status.module.js';

/** RFC 7009 revocation with cascade, the published status lists, RFC 7662 introspection. */
@Module({
  imports: [OAuthModule, KeysModule, DpopModule, ClientsModule, StatusModule, TrustModule],
  controllers: [RevocationController, StatusListController, IntrospectionController],
  providers: [
    AdminAuthenticator,
    EndpointClientAuthenticator,
    RevocationService,
    StatusListPublisher,
    IntrospectionService,
  ],
})
export class RevocationModule {}
