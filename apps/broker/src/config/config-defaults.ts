import {
  DEFAULT_DPOP_MAX_AGE_SECONDS,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_TOKEN_BYTES,
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_ISSUER_ROLES,
} from '@baton/chain/protocol';

/** Values used where the configuration file is silent. */
export const DEFAULTS = {
  mode: 'production',
  listenHost: '127.0.0.1',
  sqlitePath: '.baton/data/broker.sqlite',
  keys: { algorithm: 'ES256', rotationIntervalSeconds: 7 * 86400, prePublishSeconds: 86400 },
  tokens: { accessTokenTtlSeconds: 300, maxTokenTtlSeconds: 3600 },
  dpop: {
    requireNonce: false,
    maxAgeSeconds: DEFAULT_DPOP_MAX_AGE_SECONDS,
    clockSkewSeconds: DEFAULT_CLOCK_SKEW_SECONDS,
  },
  policy: {
    maxChainDepth: DEFAULT_MAX_DEPTH,
    maxTokenBytes: DEFAULT_MAX_TOKEN_BYTES,
    requireBoundHopProofs: false,
  },
  peerRoles: DEFAULT_ISSUER_ROLES,
  databaseTimeouts: {
    connectMs: 2000,
    acquireMs: 2000,
    statementMs: 3000,
    poolSize: 10,
    retryAfterSeconds: 5,
  },
  http: {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 15_000,
    keepAliveTimeoutMs: 5000,
    shutdownTimeoutMs: 10_000,
  },
  rateLimits: {
    windowSeconds: 60,
    perSource: 1200,
    perClient: 600,
    authFailureThreshold: 5,
    authFailureMaxBackoffSeconds: 300,
    secretHashConcurrency: 2,
    secretHashQueue: 32,
  },
  retention: {
    issuedTokenSeconds: 30 * 86400,
    auditEventSeconds: 365 * 86400,
    intervalSeconds: 3600,
  },
} as const;

/**
 * How often a peer's TrustStore refetches a JWKS for an unknown `kid` at most (libs/chain
 * TrustStore `refetchCooldownSeconds`, default 30 s). A key pre-published for less than this may
 * start signing before a peer that refetched just before its publication may look again.
 */
export const PEER_JWKS_REFETCH_COOLDOWN_SECONDS = 30;
