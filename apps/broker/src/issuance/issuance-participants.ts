import type { DynamicModule, Type } from '@nestjs/common';
import { StatusIndexAllocator } from '../revocation/status-index.allocator.js';
import { StatusModule } from '../revocation/status.module.js';
import { AuditIssuanceParticipant } from '../audit/audit-issuance.participant.js';
import { AuditLogModule } from '../audit/audit-log.module.js';
import type { IssuanceParticipant } from './issuance-participant.js';

/** A participant class and the module that provides and exports it. */
export interface ParticipantRegistration {
  readonly module: Type<unknown> | DynamicModule;
  readonly participant: Type<IssuanceParticipant>;
}

/**
 * Every participant of the issuance transaction, in call order. Revocation (status index,
 * `beforeSign`) and audit (event row, `afterSign`) each append one entry here.
 */
export const ISSUANCE_PARTICIPANT_REGISTRATIONS: readonly ParticipantRegistration[] = [
  { module: StatusModule, participant: StatusIndexAllocator },
  { module: AuditLogModule, participant: AuditIssuanceParticipant },
];
