import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { OAuthError } from '../oauth/oauth-error.js';

/**
 * `@nestjs/throttler`'s guard for the token endpoint, refusing in the protocol's format: 429
 * `temporarily_unavailable` (RFC 6749 §5.2 JSON) with `Retry-After` (RFC 9110 §10.2.3, RFC 6585 §4).
 */
@Injectable()
export class TokenThrottlerGuard extends ThrottlerGuard {
  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const scope = detail.tracker.startsWith('client:') ? 'this client' : 'this source';
    throw new OAuthError('temporarily_unavailable', `too many token requests from ${scope}`, {
      status: 429,
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(detail.timeToBlockExpire))) },
    });
  }
}
