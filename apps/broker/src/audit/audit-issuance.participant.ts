import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IssuanceParticipant, IssuanceResult } from '../issuance/issuance-participant.js';
import { AuditLog } from './audit-log.service.js';
import { tokenIssuedEvent } from './token-issued.event.js';

/** Writes each issued token's audit event in its issuance transaction: both commit, or neither. */
@Injectable()
export class AuditIssuanceParticipant implements IssuanceParticipant {
  constructor(private readonly audit: AuditLog) {}

  async afterSign(result: IssuanceResult, tx: EntityManager): Promise<void> {
    await this.audit.append(tx, tokenIssuedEvent(result));
  }
}
