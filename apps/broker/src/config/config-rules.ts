import { keySourceIssues, type ConfigIssue } from '@baton/config';
import type { BrokerConfigSchema } from './schema/broker-config.schema.js';
import type { ClientSchema } from './schema/client.schema.js';
import { DEFAULTS, PEER_JWKS_REFETCH_COOLDOWN_SECONDS } from './config-defaults.js';

/**
 * Rules across fields that class-validator's per-field decorators cannot express. Runs on a
 * schema that may itself be invalid, so every access is guarded: all issues are reported at once.
 */
export function crossFieldIssues(schema: BrokerConfigSchema): ConfigIssue[] {
  return [
    ...clientIssues(schema),
    ...peerIssues(schema),
    ...externalIssuerIssues(schema),
    ...limitIssues(schema),
    ...databaseIssues(schema),
  ];
}

function clientIssues(schema: BrokerConfigSchema): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  const production = (schema.mode ?? DEFAULTS.mode) === 'production';
  listOf(schema.clients).forEach((client, index) => {
    const path = `clients[${index}]`;
    if (typeof client.clientId === 'string') {
      const first = seen.get(client.clientId);
      if (first !== undefined) {
        issues.push({
          path: `${path}.clientId`,
          message: `duplicates clients[${first}].clientId "${client.clientId}"`,
        });
      } else {
        seen.set(client.clientId, index);
      }
    }
    issues.push(...credentialIssues(client, path, production));
  });
  return issues;
}

function credentialIssues(client: ClientSchema, path: string, production: boolean): ConfigIssue[] {
  const secretSources = (['secret', 'secretEnv', 'secretHash'] as const).filter(
    (k) => client[k] !== undefined,
  );
  if (client.authMethod === 'private_key_jwt') {
    const issues: ConfigIssue[] = secretSources.map((k) => ({
      path: `${path}.${k}`,
      message: 'is not used with private_key_jwt (the client authenticates with its jwks)',
    }));
    if (client.jwks === undefined) {
      issues.push({
        path: `${path}.jwks`,
        message: 'is required for private_key_jwt (RFC 7523 §2.2)',
      });
    }
    return issues;
  }
  if (client.authMethod !== 'client_secret_basic' && client.authMethod !== 'client_secret_post') {
    return [];
  }
  const issues: ConfigIssue[] = [];
  if (client.jwks !== undefined) {
    issues.push({ path: `${path}.jwks`, message: `is not used with ${client.authMethod}` });
  }
  if (secretSources.length !== 1) {
    issues.push({
      path,
      message: `needs exactly one of secret, secretEnv, secretHash for ${client.authMethod}`,
    });
  }
  if (production && client.secret !== undefined) {
    issues.push({
      path: `${path}.secret`,
      message: 'must not be written in the file in production mode; use secretEnv or secretHash',
    });
  }
  return issues;
}

function peerIssues(schema: BrokerConfigSchema): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  const maxDepth = schema.policy?.maxChainDepth ?? DEFAULTS.policy.maxChainDepth;
  listOf(schema.peers).forEach((peer, index) => {
    const path = `peers[${index}]`;
    issues.push(...keySourceIssues(peer, path));
    if (typeof peer.issuer === 'string') {
      if (peer.issuer === schema.issuer) {
        issues.push({
          path: `${path}.issuer`,
          message: 'is this domain itself; a domain is not its own peer',
        });
      }
      const first = seen.get(peer.issuer);
      if (first !== undefined) {
        issues.push({ path: `${path}.issuer`, message: `duplicates peers[${first}].issuer` });
      } else {
        seen.set(peer.issuer, index);
      }
    }
    if (
      typeof peer.maxChainDepth === 'number' &&
      typeof maxDepth === 'number' &&
      peer.maxChainDepth > maxDepth
    ) {
      issues.push({
        path: `${path}.maxChainDepth`,
        message: `must not exceed policy.maxChainDepth (${maxDepth})`,
      });
    }
  });
  return issues;
}

function externalIssuerIssues(schema: BrokerConfigSchema): ConfigIssue[] {
  const peers = new Set(listOf(schema.peers).map((peer) => peer.issuer));
  const issues: ConfigIssue[] = [];
  listOf(schema.externalIssuers).forEach((external, index) => {
    const path = `externalIssuers[${index}]`;
    issues.push(...keySourceIssues(external, path));
    if (external.issuer === schema.issuer || peers.has(external.issuer)) {
      issues.push({
        path: `${path}.issuer`,
        message: 'is already this domain or one of its peers',
      });
    }
  });
  return issues;
}

function limitIssues(schema: BrokerConfigSchema): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const access = schema.tokens?.accessTokenTtlSeconds ?? DEFAULTS.tokens.accessTokenTtlSeconds;
  const max = schema.tokens?.maxTokenTtlSeconds ?? DEFAULTS.tokens.maxTokenTtlSeconds;
  if (typeof access === 'number' && typeof max === 'number' && access > max) {
    issues.push({
      path: 'tokens.accessTokenTtlSeconds',
      message: `must not exceed tokens.maxTokenTtlSeconds (${max})`,
    });
  }
  const interval = schema.keys?.rotationIntervalSeconds ?? DEFAULTS.keys.rotationIntervalSeconds;
  const prePublish = schema.keys?.prePublishSeconds ?? DEFAULTS.keys.prePublishSeconds;
  if (typeof interval === 'number' && typeof prePublish === 'number' && prePublish >= interval) {
    issues.push({
      path: 'keys.prePublishSeconds',
      message: `must be less than keys.rotationIntervalSeconds (${interval})`,
    });
  }
  const headers = schema.http?.headersTimeoutMs ?? DEFAULTS.http.headersTimeoutMs;
  const request = schema.http?.requestTimeoutMs ?? DEFAULTS.http.requestTimeoutMs;
  if (typeof headers === 'number' && typeof request === 'number' && headers > request) {
    issues.push({
      path: 'http.headersTimeoutMs',
      message: `must not exceed http.requestTimeoutMs (${request})`,
    });
  }
  if (typeof prePublish === 'number' && prePublish < PEER_JWKS_REFETCH_COOLDOWN_SECONDS) {
    issues.push({
      path: 'keys.prePublishSeconds',
      message: `must be at least ${PEER_JWKS_REFETCH_COOLDOWN_SECONDS} (peers refetch keys for an unknown kid at most that often; a shorter pre-publication makes them refuse tokens signed right after a rotation)`,
    });
  }
  return issues;
}

function databaseIssues(schema: BrokerConfigSchema): ConfigIssue[] {
  const database = schema.database;
  if (database === undefined || database === null) {
    return [];
  }
  if (database.type === 'postgres') {
    const sources = [database.url, database.urlEnv].filter((value) => value !== undefined).length;
    const issues: ConfigIssue[] =
      sources === 1
        ? []
        : [{ path: 'database', message: 'needs exactly one of url and urlEnv for postgres' }];
    if (database.path !== undefined) {
      issues.push({ path: 'database.path', message: 'is only used with type: sqlite' });
    }
    return issues;
  }
  return (['url', 'urlEnv', 'schema'] as const)
    .filter((key) => database[key] !== undefined)
    .map((key) => ({ path: `database.${key}`, message: 'is only used with type: postgres' }));
}

function listOf<T>(value: T[] | undefined): T[] {
  return Array.isArray(value)
    ? value.filter((item) => typeof item === 'object' && item !== null)
    : [];
}
