import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochSeconds } from '../database/epoch-seconds.column.js';
import { bigInteger } from './big-integer.column.js';

/**
 * One event of the domain's audit log. Append-only and hash-chained: `hash` covers every column
 * but `seq` together with `prev_hash`, the hash of the event before it (see audit-hash.ts).
 * Tokens are joined on `(issuer, jti)`, never on a token hash.
 */
@Entity({ name: 'audit_event' })
export class AuditEventEntity {
  /** Position in the chain, 1, 2, 3 ... assigned under the chain-head lock. */
  @PrimaryColumn({ type: 'bigint', transformer: bigInteger })
  seq!: number;

  @Index('idx_audit_event_at')
  @Column({ type: 'bigint', transformer: epochSeconds })
  at!: number;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  /** The token's issuer for token events (this domain); null otherwise. */
  @Column({ type: 'varchar', length: 2048, nullable: true })
  issuer!: string | null;

  @Index('idx_audit_event_jti')
  @Column({ type: 'varchar', length: 256, nullable: true })
  jti!: string | null;

  @Column({ name: 'parent_issuer', type: 'varchar', length: 2048, nullable: true })
  parentIssuer!: string | null;

  @Index('idx_audit_event_parent')
  @Column({ name: 'parent_jti', type: 'varchar', length: 256, nullable: true })
  parentJti!: string | null;

  @Index('idx_audit_event_subject')
  @Column({ type: 'varchar', length: 1024, nullable: true })
  subject!: string | null;

  @Index('idx_audit_event_client')
  @Column({ name: 'client_id', type: 'varchar', length: 256, nullable: true })
  clientId!: string | null;

  @Index('idx_audit_event_jkt')
  @Column({ name: 'cnf_jkt', type: 'varchar', length: 64, nullable: true })
  cnfJkt!: string | null;

  /** The event's facts, JSON with sorted keys, exactly as hashed. */
  @Column({ type: 'text' })
  data!: string;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}
