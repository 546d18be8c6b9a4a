import type { KeySourceListener } from '@baton/chain';
import type { VerificationOutcome } from '@baton/chain-nest';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The partner API's Prometheus metrics: the verification counterpart of the broker's token
 * metrics (accepted or refused by libs/chain code, and latency), plus key fetches.
 */
export class ResourceServerMetrics {
  readonly registry = new Registry();

  readonly verifications = new Counter({
    name: 'baton_verifications_total',
    help: 'Requests verified by the delegation guard: accepted, or refused by libs/chain code',
    labelNames: ['outcome', 'code'],
    registers: [this.registry],
  });

  readonly verificationDuration = new Histogram({
    name: 'baton_verification_duration_seconds',
    help: 'Delegation chain and DPoP proof verification latency by outcome',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly keySourceEvents = new Counter({
    name: 'baton_key_source_events_total',
    help: 'Issuer JWKS and status-list loads: fetched, fetch_failed or cache_hit',
    labelNames: ['resource', 'outcome'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'baton_' });
  }

  record(outcome: VerificationOutcome): void {
    const code = outcome.outcome === 'accepted' ? 'none' : outcome.code;
    this.verifications.inc({ outcome: outcome.outcome, code });
    this.verificationDuration.observe({ outcome: outcome.outcome }, outcome.seconds);
  }

  readonly onKeySourceEvent: KeySourceListener = (event) =>
    this.keySourceEvents.inc({
      resource: event.resource.replace('-', '_'),
      outcome: event.outcome.replace('-', '_'),
    });
}
