import { Global, Module } from '@nestjs/common';
import { AuditIssuanceParticipant } from './audit-issuance.participant.js';
import { AuditLog } from './audit-log.service.js';
import { ConfigAuditRecorder } from './config-audit.recorder.js';

/**
 * The audit log writer, global so that issuance, keys and revocation append to it inside their
 * own transactions. Needs CLOCK and DatabaseModule (global).
 */
@Global()
@Module({
  providers: [AuditLog, ConfigAuditRecorder, AuditIssuanceParticipant],
  exports: [AuditLog, AuditIssuanceParticipant],
})
export class AuditLogModule {}
