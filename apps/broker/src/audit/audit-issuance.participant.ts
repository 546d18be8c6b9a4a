import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RowWrite } from '../database/row-statements.js';
import type { IssuanceParticipant, IssuanceResult } from '../issuance/issuance-participant.js';
import { AuditLog } from './audit-log.service.js';
import { tokenIssuedEvent } from './token-issued.event.js';

/**
 * Each issued token's audit event, written with the rows that record the token: both commit, or
 * neither. A batch of tokens appends its events in one go, in the batch's order.
 */
@Injectable()
export class AuditIssuanceParticipant implements IssuanceParticipant {
  constructor(private readonly audit: AuditLog) {}

  async afterSign(
    results: readonly IssuanceResult[],
    manager: EntityManager,
  ): Promise<readonly RowWrite[]> {
    const { writes } = await this.audit.appendWrites(
      manager,
      results.map((result) => tokenIssuedEvent(result)),
    );
    return writes;
  }
}
