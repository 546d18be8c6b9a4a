import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { TokenModule } from '../token/token.module.js';
import { AdminAuthenticator } from './admin-authenticator.js';
import { IntrospectionController } from './introspection.controller.js';
import { IntrospectionService } from './introspection.service.js';
import { RevocationController } from './revocation.controller.js';
import { RevocationService } from './revocation.service.js';
import { StatusListController } from './status-list.controller.js';
import { StatusListPublisher } from './status-list.publisher.js';
import { StatusModule } from './status.module.js';

/** RFC 7009 revocation with cascade, the published status lists, RFC 7662 introspection. */
@Module({
  imports: [OAuthModule, KeysModule, ClientsModule, StatusModule, TokenModule],
  controllers: [RevocationController, StatusListController, IntrospectionController],
  providers: [AdminAuthenticator, RevocationService, StatusListPublisher, IntrospectionService],
})
export class RevocationModule {}
