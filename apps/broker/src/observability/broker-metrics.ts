import type { KeySourceListener } from '@baton/chain';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The broker's Prometheus metrics, in a registry of its own (one per app, so several domains in
 * one process never mix). Label values are bounded: grants and error codes come from fixed
 * lists, never from the request as sent.
 */
export class BrokerMetrics {
  readonly registry = new Registry();

  /** `outcome` is `issued`, or the OAuth error code the request was refused with. */
  readonly tokenRequests = new Counter({
    name: 'baton_token_requests_total',
    help: 'Token requests by grant type and outcome (issued, or the OAuth error code)',
    labelNames: ['grant', 'outcome'],
    registers: [this.registry],
  });

  /** `check` names the failed rule: a libs/chain code (ERR_SIGNATURE…) or the broker's own. */
  readonly tokenRefusals = new Counter({
    name: 'baton_token_refusals_total',
    help: 'Refused token requests by OAuth error code and failed check',
    labelNames: ['error', 'check'],
    registers: [this.registry],
  });

  readonly tokenDuration = new Histogram({
    name: 'baton_token_request_duration_seconds',
    help: 'Token endpoint latency by grant type and outcome',
    labelNames: ['grant', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly replayRefusals = new Counter({
    name: 'baton_replay_refusals_total',
    help: 'Requests refused because a one-time value was already used (dpop_proof, client_assertion)',
    labelNames: ['what'],
    registers: [this.registry],
  });

  readonly keySourceEvents = new Counter({
    name: 'baton_key_source_events_total',
    help: 'Peer JWKS and status-list loads: fetched, fetch_failed or cache_hit',
    labelNames: ['resource', 'outcome'],
    registers: [this.registry],
  });

  readonly keyRotations = new Counter({
    name: 'baton_signing_key_rotations_total',
    help: 'Signing keys generated and published by this process (first key included)',
    registers: [this.registry],
  });

  readonly databaseErrors = new Counter({
    name: 'baton_database_errors_total',
    help: 'Failed database queries by driver error code (unique violations excluded)',
    labelNames: ['code'],
    registers: [this.registry],
  });

  /**
   * Group commit (issuance/issuance-writer.ts): tokens recorded per committed unit of writes, and
   * how long a unit took from its start to its commit's answer. Tokens signed while a unit
   * commits join the next one, so the slower the commits, the fuller the units.
   */
  readonly issuanceUnitTokens = new Histogram({
    name: 'baton_issuance_unit_tokens',
    help: 'Issued tokens recorded per committed unit of writes (group commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  readonly issuanceUnitDuration = new Histogram({
    name: 'baton_issuance_unit_duration_seconds',
    help: 'Time from the start of a unit of writes to the answer of its commit',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'baton_' });
  }
}

/** A libs/chain key-source listener counting into `metrics` (JWKS now, status lists as they come). */
export function keySourceCounter(metrics: BrokerMetrics): KeySourceListener {
  return (event) =>
    metrics.keySourceEvents.inc({
      resource: event.resource.replace('-', '_'),
      outcome: event.outcome.replace('-', '_'),
    });
}
