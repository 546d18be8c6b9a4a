import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { IssuedTokenRetention } from './issued-token.retention.js';
import { RETENTION_TASK } from './retention-task.js';
import { RetentionService } from './retention.service.js';

/** Periodic pruning of records past retention; this module's own task covers `issued_token`. */
@Module({
  imports: [DiscoveryModule],
  providers: [RetentionService, { provide: RETENTION_TASK, useClass: IssuedTokenRetention }],
  exports: [RetentionService],
})
export class RetentionModule {}
