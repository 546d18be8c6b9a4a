import { Logger } from '@nestjs/common';
import type { VerificationOutcome } from '@baton/chain-nest';
import type { ResourceServerMetrics } from './resource-server-metrics.js';

const logger = new Logger('Verification');

/**
 * The guard's observer: counts every verification and logs one line for it (the subject when
 * accepted; the libs/chain code, RFC error and status when refused). Never a token or a proof.
 */
export function observeVerification(
  metrics: ResourceServerMetrics,
): (outcome: VerificationOutcome) => void {
  return (outcome) => {
    metrics.record(outcome);
    const { seconds, ...fields } = outcome;
    const line = { ...fields, durationMs: Math.round(seconds * 1000) };
    logger.log(line, outcome.outcome === 'accepted' ? 'request verified' : 'request refused');
  };
}
