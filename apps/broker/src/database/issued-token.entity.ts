import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochSeconds } from './epoch-seconds.column.js';

/**
 * One row per token this domain issued, written in the issuing transaction: enough to trace a
 * chain (link hashes and compact links, parent jti) and to cascade revocation. Never the token.
 */
@Entity({ name: 'issued_token' })
export class IssuedTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  jti!: string;

  @Column({ type: 'varchar', length: 2048 })
  issuer!: string;

  @Column({ name: 'grant_type', type: 'varchar', length: 128 })
  grantType!: string;

  /** `jti` of the subject token consumed (exchange hops); null for an origin grant. */
  @Index('idx_issued_token_parent')
  @Column({ name: 'parent_jti', type: 'varchar', length: 256, nullable: true })
  parentJti!: string | null;

  @Column({ name: 'parent_issuer', type: 'varchar', length: 2048, nullable: true })
  parentIssuer!: string | null;

  @Column({ name: 'client_id', type: 'varchar', length: 256 })
  clientId!: string;

  @Column({ type: 'varchar', length: 1024 })
  sub!: string;

  @Column({ type: 'varchar', length: 2048 })
  aud!: string;

  @Column({ type: 'text' })
  scope!: string;

  @Column({ name: 'cnf_jkt', type: 'varchar', length: 64 })
  cnfJkt!: string;

  @Column({ type: 'bigint', transformer: epochSeconds })
  iat!: number;

  @Index('idx_issued_token_exp')
  @Column({ type: 'bigint', transformer: epochSeconds })
  exp!: number;

  /** Number of links in the issued token's chain. */
  @Column({ type: 'integer' })
  depth!: number;

  /** base64url SHA-256 of the issued compact token (lookups by token without storing it). */
  @Index('idx_issued_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  /** base64url SHA-256 of this token's own (last) link. */
  @Column({ name: 'link_hash', type: 'varchar', length: 64 })
  linkHash!: string;

  /** JSON array of the hashes of every link, oldest first. */
  @Column({ name: 'chain_hashes', type: 'text' })
  chainHashes!: string;

  /** JSON array of the compact links, oldest first (links carry no bearer credential). */
  @Column({ type: 'text' })
  links!: string;

  /** The status list (`status_list` id) and index named in this token's link. */
  @Column({ name: 'status_list', type: 'integer', nullable: true })
  statusList!: number | null;

  @Column({ name: 'status_idx', type: 'integer', nullable: true })
  statusIdx!: number | null;

  /** When this token was revoked (RFC 7009 or by an administrator); null while live. */
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochSeconds })
  revokedAt!: number | null;
}
