import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochSeconds } from '../database/epoch-seconds.column.js';

/**
 * One domain signing key. Its life: published from `created_at`, signs from `activates_at`
 * until its successor activates (`retires_at`), leaves the JWKS at `expires_at` (retirement +
 * the longest token lifetime + clock skew). Times are epoch seconds.
 */
@Entity({ name: 'signing_key' })
export class SigningKeyEntity {
  /** RFC 7638 JWK thumbprint (SHA-256) of the public key. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  alg!: string;

  /** The public JWK as published, JSON. */
  @Column({ name: 'public_jwk', type: 'text' })
  publicJwk!: string;

  /** The private JWK, AES-256-GCM encrypted: `v1.<iv>.<tag>.<ciphertext>` (base64url), AAD = kid. */
  @Column({ name: 'private_key', type: 'text' })
  privateKey!: string;

  /** Which key-encryption key protects `private_key`: `kek` (configured) or `demo` (derived, demo mode). */
  @Column({ type: 'varchar', length: 16 })
  protection!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochSeconds })
  createdAt!: number;

  @Index('idx_signing_key_activates')
  @Column({ name: 'activates_at', type: 'bigint', transformer: epochSeconds })
  activatesAt!: number;

  @Column({ name: 'retires_at', type: 'bigint', nullable: true, transformer: epochSeconds })
  retiresAt!: number | null;

  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: epochSeconds })
  expiresAt!: number | null;
}
