import { Module } from '@nestjs/common';
import { ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { AuthFailureBackoff } from './auth-failure-backoff.js';
import { claimedClientId } from './client-id-of.js';
import { SecretHashLimiter } from './secret-hash-limiter.js';
import { TokenThrottlerGuard } from './token-throttler.guard.js';
import { WindowCounterStorage } from './window-counter.storage.js';

type TrackedRequest = Parameters<typeof claimedClientId>[0] & { ip?: string };

/**
 * Abuse limits of the token endpoint: requests per source address and per claimed client_id in
 * a window (`@nestjs/throttler` with a {@link WindowCounterStorage}, in-process: each replica
 * counts its own), back-off of repeated authentication failures, and a concurrency limit around
 * client-secret hashing.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [BROKER_CONFIG],
      useFactory: (config: BrokerConfig): ThrottlerModuleOptions => {
        const ttl = config.rateLimits.windowSeconds * 1000;
        return {
          setHeaders: false,
          storage: new WindowCounterStorage(),
          throttlers: [
            {
              name: 'source',
              ttl,
              limit: config.rateLimits.perSource,
              getTracker: (request) => `source:${(request as TrackedRequest).ip ?? 'unknown'}`,
            },
            {
              name: 'client',
              ttl,
              limit: config.rateLimits.perClient,
              getTracker: (request) => `client:${claimedClientId(request as TrackedRequest) ?? ''}`,
              skipIf: (context) =>
                claimedClientId(context.switchToHttp().getRequest<TrackedRequest>()) === undefined,
            },
          ],
        };
      },
    }),
  ],
  providers: [TokenThrottlerGuard, AuthFailureBackoff, SecretHashLimiter],
  exports: [ThrottlerModule, TokenThrottlerGuard, AuthFailureBackoff, SecretHashLimiter],
})
export class ThrottlingModule {}
