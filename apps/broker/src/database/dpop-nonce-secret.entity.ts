import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochSeconds } from './epoch-seconds.column.js';

/** The per-domain secret stateless DPoP nonces are derived from, shared by every replica. */
@Entity({ name: 'dpop_nonce_secret' })
export class DpopNonceSecretEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  /** 32 random bytes, base64url. */
  @Column({ type: 'varchar', length: 64 })
  secret!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochSeconds })
  createdAt!: number;
}
