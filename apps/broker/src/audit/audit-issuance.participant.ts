import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IssuanceParticipant, IssuanceResult } from '../issuance/issuance-participant.js';
import { AuditLog } from './audit-log.service.js';
import { tokenIssuedEvent } from './token-issued.event.js';

/**
 * Writes each issued token's audit event in the transaction that records the token: both
 * commit, or neither. A batch of tokens appends its events in one go, in the batch's order.
 */
@Injectable()
export class AuditIssuanceParticipant implements IssuanceParticipant {
  constructor(private readonly audit: AuditLog) {}

  async afterSign(results: readonly IssuanceResult[], tx: EntityManager): Promise<void> {
    await this.audit.appendAll(
      tx,
      results.map((result) => tokenIssuedEvent(result)),
    );
  }
}
