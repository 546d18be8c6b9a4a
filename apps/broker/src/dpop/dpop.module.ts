import { Module } from '@nestjs/common';
import { DpopNonceService } from './dpop-nonce.service.js';
import { DpopProofService } from './dpop-proof.service.js';
import { SeenJtiStore } from './seen-jti.store.js';

/** Token-endpoint DPoP: proof checks, database replay store, stateless server nonces. */
@Module({
  providers: [SeenJtiStore, DpopNonceService, DpopProofService],
  exports: [SeenJtiStore, DpopProofService],
})
export class DpopModule {}
