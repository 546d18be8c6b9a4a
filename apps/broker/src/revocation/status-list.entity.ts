import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochSeconds } from '../database/epoch-seconds.column.js';

/**
 * One published status list of this domain. `allocated` counts the slots handed out; slot n
 * holds index permute(n) under `permutationKey`, so indexes are unique and not sequential.
 */
@Entity({ name: 'status_list' })
export class StatusListEntity {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'integer' })
  size!: number;

  @Column({ type: 'integer' })
  allocated!: number;

  /** base64url HMAC key of this list's index permutation (not a secret that signs anything). */
  @Column({ name: 'permutation_key', type: 'varchar', length: 64 })
  permutationKey!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochSeconds })
  createdAt!: number;
}
