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
} as const;
