import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { DpopNonceSecretEntity } from '../database/dpop-nonce-secret.entity.js';
import { isUniqueViolation } from './seen-jti.store.js';

const SECRET_ID = 'dpop-nonce';
/** A nonce is valid in the window it was minted in and the next one: 2 to 4 minutes. */
export const NONCE_WINDOW_SECONDS = 120;

/**
 * Stateless server nonces (RFC 9449 §8): HMAC of the current time window under a per-domain
 * secret kept in the shared database, so every replica mints and accepts the same nonces
 * without storing them. The current and the previous window are accepted.
 */
@Injectable()
export class DpopNonceService implements OnModuleInit {
  private secret: Buffer | undefined;
  /** The nonces of the last windows asked for: one HMAC per window, not one per request. */
  private minted: readonly { window: number; nonce: string }[] = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.secret = await this.loadOrCreateSecret();
  }

  /** The nonce to send now in `DPoP-Nonce`. */
  current(now = epochSeconds(this.clock)): string {
    return this.nonceFor(windowOf(now));
  }

  /** RFC 9449 §8: the proof's `nonce` is one this domain provided recently. */
  isValid(nonce: string | undefined, now = epochSeconds(this.clock)): boolean {
    if (nonce === undefined || nonce.length > 128) {
      return false;
    }
    const window = windowOf(now);
    return [window, window - 1].some((candidate) => equal(nonce, this.nonceFor(candidate)));
  }

  private nonceFor(window: number): string {
    const known = this.minted.find((entry) => entry.window === window);
    if (known !== undefined) {
      return known.nonce;
    }
    if (this.secret === undefined) {
      throw new Error('DPoP nonce secret not loaded');
    }
    const nonce = createHmac('sha256', this.secret)
      .update(`${this.config.issuer}\n${window}`)
      .digest('base64url');
    this.minted = [{ window, nonce }, ...this.minted.slice(0, 2)];
    return nonce;
  }

  private async loadOrCreateSecret(): Promise<Buffer> {
    const repository = this.dataSource.getRepository(DpopNonceSecretEntity);
    try {
      await repository.insert({
        id: SECRET_ID,
        secret: randomBytes(32).toString('base64url'),
        createdAt: epochSeconds(this.clock),
      });
    } catch (error) {
      // Another replica created it first; use theirs.
      if (!isUniqueViolation(error)) {
        throw error;
      }
    }
    const row = await repository.findOneByOrFail({ id: SECRET_ID });
    return Buffer.from(row.secret, 'base64url');
  }
}

function windowOf(now: number): number {
  return Math.floor(now / NONCE_WINDOW_SECONDS);
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
