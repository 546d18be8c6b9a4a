import { Global, Module } from '@nestjs/common';
import { RETENTION_TASK } from '../retention/retention-task.js';
import { AuditIssuanceParticipant } from './audit-issuance.participant.js';
import { AuditLogRetention } from './audit-log.retention.js';
import { AuditLog } from './audit-log.service.js';
import { ConfigAuditRecorder } from './config-audit.recorder.js';

/**
 * The audit log writer, global so that issuance, keys and revocation append to it inside their
 * own transactions, and its retention task (archive, prune, move the anchor). Needs CLOCK and
 * DatabaseModule (global).
 */
@Global()
@Module({
  providers: [
    AuditLog,
    ConfigAuditRecorder,
    AuditIssuanceParticipant,
    { provide: RETENTION_TASK, useClass: AuditLogRetention },
  ],
  exports: [AuditLog, AuditIssuanceParticipant],
})
export class AuditLogModule {}
