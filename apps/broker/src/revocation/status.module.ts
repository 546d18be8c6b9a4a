import { Module } from '@nestjs/common';
import { RevocationStatus } from './revocation-status.service.js';
import { StatusIndexAllocator } from './status-index.allocator.js';

/**
 * Status list slots for issuance and the status checks for verification; imported by the token
 * endpoint (no dependency back on it). BROKER_CONFIG, CLOCK and DatabaseTransactions are global.
 */
@Module({
  providers: [StatusIndexAllocator, RevocationStatus],
  exports: [StatusIndexAllocator, RevocationStatus],
})
export class StatusModule {}
