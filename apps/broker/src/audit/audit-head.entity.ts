import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigInteger } from './big-integer.column.js';

/**
 * The chain head: the last event's `seq` and `hash`. Every append updates this row first, so
 * appends from all replicas sharing the database serialise on its row lock (PostgreSQL) or the
 * write lock (SQLite), and the log stays one linear chain. The anchor is where verification
 * starts: the genesis, or the last event pruned by retention.
 */
@Entity({ name: 'audit_head' })
export class AuditHeadEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'bigint', transformer: bigInteger })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  @Column({ name: 'anchor_seq', type: 'bigint', transformer: bigInteger })
  anchorSeq!: number;

  @Column({ name: 'anchor_hash', type: 'varchar', length: 64 })
  anchorHash!: string;
}
