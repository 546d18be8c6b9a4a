import 'reflect-metadata';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_REPLAY_STORE_MAX_ENTRIES,
  DEFAULT_DPOP_MAX_AGE_SECONDS,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_TOKEN_BYTES,
  DPOP_ALGORITHMS,
} from '@baton/chain/protocol';
import { trustConfigProblems, type TrustConfig } from '@baton/chain';
import { ConfigError, deepFreeze, validateConfig, type ConfigIssue } from '@baton/config';
import { DEFAULT_LOG_LEVEL } from '../../../observability/src/log-levels.js';
import type { ResourceServerConfig } from './resource-server-config.js';
import { ResourceServerConfigSchema } from './schema/resource-server-config.schema.js';

const DEFAULTS = {
  listenHost: '127.0.0.1',
  replayEntries: DEFAULT_REPLAY_STORE_MAX_ENTRIES,
} as const;

/**
 * Validate a parsed configuration file and shape it into a frozen {@link ResourceServerConfig},
 * defaults applied.
 * @throws ConfigError listing every bad field at once, each line naming `source` and the path.
 */
export function parseResourceServerConfig(raw: unknown, source: string): ResourceServerConfig {
  const { schema, issues } = validateConfig(ResourceServerConfigSchema, raw, source);
  issues.push(...audienceIssues(schema.audience), ...trustIssues(schema.trust));
  if (issues.length > 0) {
    throw new ConfigError(source, issues);
  }
  return deepFreeze(toResourceServerConfig(schema, source));
}

function toResourceServerConfig(
  schema: ResourceServerConfigSchema,
  source: string,
): ResourceServerConfig {
  return {
    source,
    audience: [schema.audience].flat(),
    publicBaseUrl: schema.publicBaseUrl,
    listen: { host: schema.listen.host ?? DEFAULTS.listenHost, port: schema.listen.port },
    ...(schema.realm === undefined ? {} : { realm: schema.realm }),
    trust: schema.trust as TrustConfig,
    dpop: {
      algorithms: schema.dpop?.algorithms ?? [...DPOP_ALGORITHMS],
      maxAgeSeconds: schema.dpop?.maxAgeSeconds ?? DEFAULT_DPOP_MAX_AGE_SECONDS,
      clockSkewSeconds: schema.dpop?.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
    },
    policy: {
      maxChainDepth: schema.policy?.maxChainDepth ?? DEFAULT_MAX_DEPTH,
      maxTokenBytes: schema.policy?.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES,
      requireBoundHopProofs: schema.policy?.requireBoundHopProofs ?? false,
    },
    replayStore: { maxEntries: schema.replayStore?.maxEntries ?? DEFAULTS.replayEntries },
    logging: { level: schema.logging?.level ?? DEFAULT_LOG_LEVEL },
    ...(schema.metrics
      ? {
          metrics: {
            listen: {
              host: schema.metrics.listen.host ?? DEFAULTS.listenHost,
              port: schema.metrics.listen.port,
            },
          },
        }
      : {}),
  };
}

/*
 * Rules across fields that per-field decorators cannot express. They run on a schema that may
 * itself be invalid, so every access is guarded: all issues are reported at once.
 */

function audienceIssues(audience: unknown): ConfigIssue[] {
  return Array.isArray(audience) && audience.length === 0
    ? [{ path: 'audience', message: 'must name at least one URL' }]
    : [];
}

/** The trust section in the library's own shape, checked by the library's own rules. */
function trustIssues(trust: unknown): ConfigIssue[] {
  if (trust === undefined) {
    return [];
  }
  return trustConfigProblems(trust).map(({ path, message }) => ({
    path: path === '' ? 'trust' : `trust.${path}`,
    message,
  }));
}
