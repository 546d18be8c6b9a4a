import { Module } from '@nestjs/common';
import { DpopModule } from '../dpop/dpop.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { ClientAuthenticator } from './client-authenticator.service.js';

/** Client authentication at the token endpoint. */
@Module({
  imports: [DpopModule, ThrottlingModule],
  providers: [ClientAuthenticator],
  exports: [ClientAuthenticator],
})
export class ClientsModule {}
