import { Inject, Injectable } from '@nestjs/common';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { OAuthError } from '../oauth/oauth-error.js';

interface FailureRecord {
  failures: number;
  blockedUntil: number;
}

/**
 * Back-off of repeated client authentication failures, per registered client_id: after
 * `authFailureThreshold` failures in a row, further attempts are refused for 1 s, then 2, 4, …
 * up to `authFailureMaxBackoffSeconds`, without hashing the presented secret. A success resets.
 * Only registered clients are tracked, so the table is bounded by the configuration; unknown
 * client_ids are bounded by the per-source limit and the hash concurrency limit instead.
 */
@Injectable()
export class AuthFailureBackoff {
  private readonly records = new Map<string, FailureRecord>();

  constructor(@Inject(BROKER_CONFIG) private readonly config: BrokerConfig) {}

  /** @throws OAuthError 429 with Retry-After while `clientId` is backing off. */
  check(clientId: string, now = Date.now()): void {
    const record = this.records.get(clientId);
    if (record !== undefined && record.blockedUntil > now) {
      throw new OAuthError(
        'temporarily_unavailable',
        'too many failed authentications for this client; retry later',
        {
          status: 429,
          headers: { 'Retry-After': String(Math.ceil((record.blockedUntil - now) / 1000)) },
        },
      );
    }
  }

  failed(clientId: string, now = Date.now()): void {
    const { authFailureThreshold, authFailureMaxBackoffSeconds } = this.config.rateLimits;
    const record = this.records.get(clientId) ?? { failures: 0, blockedUntil: 0 };
    record.failures += 1;
    const over = record.failures - authFailureThreshold;
    if (over >= 0) {
      record.blockedUntil =
        now + Math.min(2 ** Math.min(over, 20), authFailureMaxBackoffSeconds) * 1000;
    }
    this.records.set(clientId, record);
  }

  succeeded(clientId: string): void {
    this.records.delete(clientId);
  }
}
