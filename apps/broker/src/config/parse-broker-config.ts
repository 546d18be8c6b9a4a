import 'reflect-metadata';
import { ConfigError, deepFreeze, validateConfig, type ConfigIssue } from '@baton/config';
import type {
  BrokerConfig,
  ClientConfig,
  DatabaseConfig,
  ExternalIssuerConfig,
  PeerConfig,
} from './broker-config.js';
import { resolveAuditors } from './auditor-config.js';
import { DEFAULTS } from './config-defaults.js';
import { crossFieldIssues } from './config-rules.js';
import { resolveSecrets, type ResolvedSecrets } from './config-secrets.js';
import { resolveRevocationConfig } from './revocation-config.js';
import { BrokerConfigSchema } from './schema/broker-config.schema.js';
import { DEFAULT_CLIENT_GRANT_TYPES } from './schema/client.schema.js';
import {
  DEFAULT_LOG_LEVEL,
  isLogLevel,
  LOG_LEVELS,
  type LogLevelName,
} from '../../../observability/src/log-levels.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The environment variable that overrides `logging.level`. */
export const LOG_LEVEL_ENV = 'BATON_LOG_LEVEL';

export interface ParseBrokerConfigOptions {
  /** Where the raw value came from (a file path), used in every message. */
  readonly source: string;
  /** The environment secrets are read from; the loader passes process.env, tests pass their own. */
  readonly env: Env;
}

/**
 * Validate a parsed configuration file and shape it into a frozen {@link BrokerConfig}: defaults
 * applied, secrets read from `env`, client secrets hashed. Pure apart from the random salts.
 *
 * @throws ConfigError listing every bad field at once, each line naming `source` and the path.
 */
export function parseBrokerConfig(raw: unknown, options: ParseBrokerConfigOptions): BrokerConfig {
  const { schema, issues } = validateConfig(BrokerConfigSchema, raw, options.source);
  issues.push(...crossFieldIssues(schema));
  const production = (schema.mode ?? DEFAULTS.mode) === 'production';
  const secrets = resolveSecrets(schema, options.env, production);
  issues.push(...secrets.issues, ...logLevelIssues(options.env));
  const revocation = resolveRevocationConfig(schema, options.env, production);
  issues.push(...revocation.issues);
  const auditors = resolveAuditors(schema.auditors, options.env, production);
  issues.push(...auditors.issues);
  if (issues.length > 0) {
    throw new ConfigError(options.source, dedupe(issues));
  }
  return deepFreeze({
    ...toBrokerConfig(schema, secrets, options.source, options.env),
    revocation: revocation.value,
    auditors: auditors.auditors,
  });
}

function toBrokerConfig(
  schema: BrokerConfigSchema,
  secrets: ResolvedSecrets,
  source: string,
  env: Env,
): Omit<BrokerConfig, 'revocation' | 'auditors'> {
  return {
    source,
    mode: schema.mode ?? DEFAULTS.mode,
    issuer: schema.issuer,
    listen: { host: schema.listen.host ?? DEFAULTS.listenHost, port: schema.listen.port },
    database: toDatabase(schema, secrets),
    databaseTimeouts: {
      connectMs: schema.database?.connectTimeoutMs ?? DEFAULTS.databaseTimeouts.connectMs,
      acquireMs: schema.database?.acquireTimeoutMs ?? DEFAULTS.databaseTimeouts.acquireMs,
      statementMs: schema.database?.statementTimeoutMs ?? DEFAULTS.databaseTimeouts.statementMs,
      poolSize: schema.database?.poolSize ?? DEFAULTS.databaseTimeouts.poolSize,
      retryAfterSeconds:
        schema.database?.retryAfterSeconds ?? DEFAULTS.databaseTimeouts.retryAfterSeconds,
    },
    http: { ...DEFAULTS.http, ...defined(schema.http) },
    rateLimits: { ...DEFAULTS.rateLimits, ...defined(schema.rateLimits) },
    retention: { ...DEFAULTS.retention, ...defined(schema.retention) },
    keys: {
      algorithm: schema.keys?.algorithm ?? DEFAULTS.keys.algorithm,
      rotationIntervalSeconds:
        schema.keys?.rotationIntervalSeconds ?? DEFAULTS.keys.rotationIntervalSeconds,
      prePublishSeconds: schema.keys?.prePublishSeconds ?? DEFAULTS.keys.prePublishSeconds,
      ...(secrets.encryptionKey ? { encryptionKey: secrets.encryptionKey } : {}),
    },
    tokens: { ...DEFAULTS.tokens, ...defined(schema.tokens) },
    dpop: { ...DEFAULTS.dpop, ...defined(schema.dpop) },
    policy: {
      maxChainDepth: schema.policy?.maxChainDepth ?? DEFAULTS.policy.maxChainDepth,
      maxTokenBytes: schema.policy?.maxTokenBytes ?? DEFAULTS.policy.maxTokenBytes,
      requireBoundHopProofs:
        schema.policy?.requireBoundHopProofs ?? DEFAULTS.policy.requireBoundHopProofs,
      audiences: schema.policy?.audiences ?? [],
    },
    clients: (schema.clients ?? []).map((client, index): ClientConfig => ({
      clientId: client.clientId,
      authMethod: client.authMethod,
      ...(client.jwks ? { jwks: client.jwks } : {}),
      ...(secrets.secretHashes.has(index) ? { secretHash: secrets.secretHashes.get(index)! } : {}),
      scopes: client.scopes,
      grantTypes: client.grantTypes ?? [...DEFAULT_CLIENT_GRANT_TYPES],
    })),
    peers: (schema.peers ?? []).map((peer): PeerConfig => ({
      issuer: peer.issuer,
      ...(peer.jwks ? { jwks: peer.jwks } : {}),
      discover: peer.discover === true,
      ...(peer.tokenEndpoint ? { tokenEndpoint: peer.tokenEndpoint } : {}),
      roles: peer.roles ?? [...DEFAULTS.peerRoles],
      allowedScopes: peer.allowedScopes ?? [],
      allowedAudiences: peer.allowedAudiences ?? [],
      ...(peer.maxChainDepth !== undefined ? { maxChainDepth: peer.maxChainDepth } : {}),
    })),
    externalIssuers: (schema.externalIssuers ?? []).map((external): ExternalIssuerConfig => ({
      issuer: external.issuer,
      ...(external.jwks ? { jwks: external.jwks } : {}),
      discover: external.discover === true,
      allowedScopes: external.allowedScopes ?? [],
    })),
    logging: { level: logLevel(schema, env) },
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

/** `BATON_LOG_LEVEL` wins over `logging.level`, so debug can be switched on without an edit. */
function logLevel(schema: BrokerConfigSchema, env: Env): LogLevelName {
  const fromEnv = env[LOG_LEVEL_ENV];
  return isLogLevel(fromEnv) ? fromEnv : (schema.logging?.level ?? DEFAULT_LOG_LEVEL);
}

function logLevelIssues(env: Env): ConfigIssue[] {
  const value = env[LOG_LEVEL_ENV];
  return value === undefined || value === '' || isLogLevel(value)
    ? []
    : [{ path: LOG_LEVEL_ENV, message: `must be one of ${LOG_LEVELS.join(', ')}` }];
}

function toDatabase(schema: BrokerConfigSchema, secrets: ResolvedSecrets): DatabaseConfig {
  if (schema.database?.type === 'postgres') {
    return {
      type: 'postgres',
      url: secrets.databaseUrl!,
      ...(schema.database.schema ? { schema: schema.database.schema } : {}),
    };
  }
  return { type: 'sqlite', path: schema.database?.path ?? DEFAULTS.sqlitePath };
}

function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
