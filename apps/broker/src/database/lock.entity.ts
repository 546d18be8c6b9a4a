import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per named lock. Updating the row is the first statement of a locked transaction: a
 * row lock on PostgreSQL (what `SELECT ... FOR UPDATE` takes), the write lock on SQLite. So
 * replicas sharing one database serialise on it.
 */
@Entity({ name: 'baton_lock' })
export class LockEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'acquired_at', type: 'bigint', nullable: true })
  acquiredAt!: string | number | null;
}
