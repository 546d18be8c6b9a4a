import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { JWK } from 'jose';
import type { Repository } from 'typeorm';
import { publicOnly } from '../keys/key-material.js';
import { SigningKeyEntity } from '../keys/signing-key.entity.js';

/** One key this domain ever published, with its life (epoch seconds). */
export interface ArchivedKey {
  kid: string;
  alg: string;
  jwk: JWK;
  createdAt: number;
  activatesAt: number;
  retiresAt: number | null;
  expiresAt: number | null;
}

/**
 * Every public key the domain ever signed with, retired and expired ones included, so a token
 * older than the current JWKS can still be verified. Key rows are never deleted; only their
 * public halves are read here.
 */
@Injectable()
export class KeyArchive {
  constructor(
    @InjectRepository(SigningKeyEntity) private readonly keys: Repository<SigningKeyEntity>,
  ) {}

  async all(): Promise<ArchivedKey[]> {
    const rows = await this.keys.find({ order: { activatesAt: 'ASC', kid: 'ASC' } });
    return rows.map((row) => ({
      kid: row.kid,
      alg: row.alg,
      jwk: publicOnly(JSON.parse(row.publicJwk) as JWK),
      createdAt: row.createdAt,
      activatesAt: row.activatesAt,
      retiresAt: row.retiresAt,
      expiresAt: row.expiresAt,
    }));
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.all()).map((key) => key.jwk) };
  }
}
