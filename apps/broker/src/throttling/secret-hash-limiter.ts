import { Inject, Injectable } from '@nestjs/common';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { OAuthError } from '../oauth/oauth-error.js';

/**
 * At most `secretHashConcurrency` client-secret verifications at once, `secretHashQueue` more
 * waiting. A slow hash (scrypt) runs on libuv's 4-thread pool, which WebCrypto signing and
 * verification share: unbounded, a flood of wrong secrets fills the pool and starves every
 * other client. Beyond the queue a request is refused at once with 503 and Retry-After.
 */
@Injectable()
export class SecretHashLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(@Inject(BROKER_CONFIG) private readonly config: BrokerConfig) {}

  async run<T>(hash: () => Promise<T>): Promise<T> {
    const { secretHashConcurrency, secretHashQueue } = this.config.rateLimits;
    if (this.running >= secretHashConcurrency) {
      if (this.waiting.length >= secretHashQueue) {
        throw new OAuthError('temporarily_unavailable', 'too many client authentications at once', {
          status: 503,
          headers: { 'Retry-After': '1' },
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await hash();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) {
        this.running -= 1;
      } else {
        next();
      }
    }
  }
}
