import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochSeconds } from './epoch-seconds.column.js';

/**
 * Single-use identifiers (DPoP proof jtis, client assertion jtis) until they expire. The primary
 * key makes "insert or fail" atomic across every replica sharing the database.
 */
@Entity({ name: 'seen_jti' })
export class SeenJtiEntity {
  /** `<purpose>:` + base64url SHA-256 of the caller's key: bounded length whatever the jti. */
  @PrimaryColumn({ type: 'varchar', length: 96 })
  key!: string;

  @Index('idx_seen_jti_expires')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochSeconds })
  expiresAt!: number;
}
