import { DEFAULT_ISSUER_ROLES, DEFAULT_REPLAY_STORE_MAX_ENTRIES } from '@baton/chain/protocol';
import 'reflect-metadata';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_DPOP_MAX_AGE_SECONDS,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_TOKEN_BYTES,
  DPOP_ALGORITHMS,
} from '@baton/chain/protocol';
import {
  ConfigError,
  deepFreeze,
  keySourceIssues,
  validateConfig,
  type ConfigIssue,
} from '@baton/config';
import type { ResourceServerConfig, TrustedIssuerConfig } from './resource-server-config.js';
import { ResourceServerConfigSchema } from './schema/resource-server-config.schema.js';
import type { TrustedIssuerSchema } from './schema/trusted-issuer.schema.js';

const DEFAULTS = {
  listenHost: '127.0.0.1',
  roles: DEFAULT_ISSUER_ROLES,
  replayEntries: DEFAULT_REPLAY_STORE_MAX_ENTRIES,
} as const;

/**
 * Validate a parsed configuration file and shape it into a frozen {@link ResourceServerConfig},
 * defaults applied.
 * @throws ConfigError listing every bad field at once, each line naming `source` and the path.
 */
export function parseResourceServerConfig(raw: unknown, source: string): ResourceServerConfig {
  const { schema, issues } = validateConfig(ResourceServerConfigSchema, raw, source);
  issues.push(...audienceIssues(schema.audience), ...trustedIssuerIssues(schema.trustedIssuers));
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
    trustedIssuers: schema.trustedIssuers.map(toTrustedIssuer),
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
  };
}

function toTrustedIssuer(issuer: TrustedIssuerSchema): TrustedIssuerConfig {
  return {
    issuer: issuer.issuer,
    roles: issuer.roles ?? [...DEFAULTS.roles],
    discover: issuer.discover === true,
    ...(issuer.jwks === undefined ? {} : { jwks: issuer.jwks }),
    ...(issuer.tokenEndpoint === undefined ? {} : { tokenEndpoint: issuer.tokenEndpoint }),
    ...(issuer.algorithms === undefined ? {} : { algorithms: issuer.algorithms }),
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

function trustedIssuerIssues(issuers: unknown): ConfigIssue[] {
  if (!Array.isArray(issuers) || issuers.length === 0) {
    return [];
  }
  const issues: ConfigIssue[] = [];
  const seen = new Map<unknown, number>();
  issuers.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) {
      return;
    }
    const path = `trustedIssuers[${index}]`;
    issues.push(...keySourceIssues(entry, path));
    const { issuer } = entry as TrustedIssuerSchema;
    const first = seen.get(issuer);
    if (first !== undefined) {
      issues.push({
        path: `${path}.issuer`,
        message: `duplicates trustedIssuers[${first}].issuer`,
      });
    } else {
      seen.set(issuer, index);
    }
  });
  if (!issuers.some(mayPresent)) {
    issues.push({
      path: 'trustedIssuers',
      message: 'must name at least one issuer with the role present',
    });
  }
  return issues;
}

function mayPresent(entry: unknown): boolean {
  if (typeof entry !== 'object' || entry === null) {
    return false;
  }
  const roles: unknown = (entry as TrustedIssuerSchema).roles ?? DEFAULTS.roles;
  return Array.isArray(roles) && roles.includes('present');
}
