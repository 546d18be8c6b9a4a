import { Inject, Injectable, Logger } from '@nestjs/common';
import type { HttpRequest } from '../oauth/http-types.js';
import { TOKEN_GRANTS, type TokenGrant } from '../token/grants/token-grant.js';
import { BrokerMetrics } from './broker-metrics.js';
import { claimedClient, replayed, requestedGrant, type TokenOutcome } from './token-outcome.js';

/**
 * One log line and one set of metrics per token request: grant, client, outcome and, for a
 * refusal, the OAuth error, its description and the check that failed. The token controller
 * calls it with the request's outcome; the refusal then reaches the global OAuth error filter
 * untouched. (Not a Nest interceptor: on Node 20 every interceptor call binds an AsyncResource,
 * whose two deprecation wrappers and the Observable around the handler were ~50 µs per request
 * in the token endpoint's profiles.)
 */
@Injectable()
export class TokenOutcomeRecorder {
  private readonly logger = new Logger('TokenEndpoint');
  private readonly grants: ReadonlySet<string>;

  constructor(
    @Inject(TOKEN_GRANTS) grants: readonly TokenGrant[],
    private readonly metrics: BrokerMetrics,
  ) {
    this.grants = new Set(grants.map((grant) => grant.grantType));
  }

  /** Starts timing a request: call the returned function once with its outcome. */
  start(request: HttpRequest): (outcome: TokenOutcome) => void {
    const started = process.hrtime.bigint();
    return (outcome) =>
      this.record(request, outcome, Number(process.hrtime.bigint() - started) / 1e9);
  }

  private record(request: HttpRequest, outcome: TokenOutcome, seconds: number): void {
    const grant = requestedGrant(request);
    const label = grant === undefined ? 'none' : this.grants.has(grant) ? grant : 'unsupported';
    const result = outcome.outcome === 'issued' ? 'issued' : outcome.error;
    this.metrics.tokenRequests.inc({ grant: label, outcome: result });
    this.metrics.tokenDuration.observe({ grant: label, outcome: result }, seconds);
    const client = outcome.outcome === 'issued' ? outcome.client : claimedClient(request);
    const line = { grant, client, durationMs: Math.round(seconds * 1000), ...outcome };
    if (outcome.outcome === 'issued') {
      this.logger.log(line, 'token issued');
      return;
    }
    this.metrics.tokenRefusals.inc({ error: outcome.error, check: checkLabel(outcome.check) });
    const what = replayed(outcome);
    if (what !== undefined) {
      this.metrics.replayRefusals.inc({ what });
    }
    if (outcome.outcome === 'refused') {
      this.logger.log(line, 'token refused');
    } else {
      this.logger.error(line, 'token request failed');
    }
  }
}

/** Metric label for a check: chain codes as they are; a broker detail reduced to a slug. */
function checkLabel(check: string): string {
  return /^ERR_[A-Z_]+$/.test(check)
    ? check
    : check
        .toLowerCase()
        .replace(/[^a-z]+/g, '_')
        .slice(0, 48);
}
