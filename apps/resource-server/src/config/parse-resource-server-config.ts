import type { IssuerRole } from '@baton/chain';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_DPOP_MAX_AGE_SECONDS,
  DEFAULT_MAX_DEPTH,
  DOMAIN_SIGNING_ALGORITHMS,
  DPOP_ALGORITHMS,
} from '@baton/chain/protocol';
import { ConfigError } from './config-error.js';
import { ConfigReader } from './config-reader.js';
import type { ResourceServerConfig, TrustedIssuerConfig } from './resource-server-config.js';

const ROOT_FIELDS = [
  'audience',
  'publicBaseUrl',
  'listen',
  'realm',
  'trustedIssuers',
  'dpop',
  'policy',
  'replayStore',
];
const ISSUER_FIELDS = ['issuer', 'roles', 'jwks', 'discover', 'tokenEndpoint', 'algorithms'];
const ROLES: readonly IssuerRole[] = ['present', 'upstream', 'origin'];
const DEFAULT_REPLAY_ENTRIES = 100_000;

/**
 * Validates a parsed configuration document and returns it frozen.
 * @throws ConfigError listing every bad field at once.
 */
export function parseResourceServerConfig(raw: unknown, source: string): ResourceServerConfig {
  const r = new ConfigReader();
  const root = r.mapping(raw, '', ROOT_FIELDS) ?? {};
  const listen = r.optionalMapping(root['listen'], 'listen', ['host', 'port']);
  const dpop = r.optionalMapping(root['dpop'], 'dpop', [
    'algorithms',
    'maxAgeSeconds',
    'clockSkewSeconds',
  ]);
  const policy = r.optionalMapping(root['policy'], 'policy', ['maxChainDepth']);
  const replay = r.optionalMapping(root['replayStore'], 'replayStore', ['maxEntries']);
  const config: ResourceServerConfig = {
    source,
    audience: readAudience(r, root['audience']),
    publicBaseUrl: r.url(root['publicBaseUrl'], 'publicBaseUrl') ?? '',
    listen: {
      host:
        listen['host'] === undefined
          ? '127.0.0.1'
          : (r.string(listen['host'], 'listen.host') ?? ''),
      port: r.integer(listen['port'], 'listen.port', 0, 65_535, 0),
    },
    ...(root['realm'] === undefined ? {} : { realm: r.string(root['realm'], 'realm') ?? '' }),
    trustedIssuers: readIssuers(r, root['trustedIssuers']),
    dpop: {
      algorithms: r.choices(
        dpop['algorithms'],
        'dpop.algorithms',
        DPOP_ALGORITHMS,
        DPOP_ALGORITHMS,
      ),
      maxAgeSeconds: r.integer(
        dpop['maxAgeSeconds'],
        'dpop.maxAgeSeconds',
        1,
        600,
        DEFAULT_DPOP_MAX_AGE_SECONDS,
      ),
      clockSkewSeconds: r.integer(
        dpop['clockSkewSeconds'],
        'dpop.clockSkewSeconds',
        0,
        300,
        DEFAULT_CLOCK_SKEW_SECONDS,
      ),
    },
    policy: {
      maxChainDepth: r.integer(
        policy['maxChainDepth'],
        'policy.maxChainDepth',
        1,
        16,
        DEFAULT_MAX_DEPTH,
      ),
    },
    replayStore: {
      maxEntries: r.integer(
        replay['maxEntries'],
        'replayStore.maxEntries',
        1,
        10_000_000,
        DEFAULT_REPLAY_ENTRIES,
      ),
    },
  };
  if (root['listen'] === undefined || listen['port'] === undefined) {
    r.fail('listen.port', 'is required');
  }
  if (r.issues.length > 0) {
    throw new ConfigError(source, r.issues);
  }
  return deepFreeze(config);
}

function readAudience(r: ConfigReader, value: unknown): string[] {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (items === undefined || items.length === 0) {
    r.fail('audience', 'must be a URL or a non-empty list of URLs (domain C’s issuer)');
    return [];
  }
  return items.map(
    (item, i) => r.url(item, typeof value === 'string' ? 'audience' : `audience[${i}]`) ?? '',
  );
}

function readIssuers(r: ConfigReader, value: unknown): TrustedIssuerConfig[] {
  const items = r.list(value, 'trustedIssuers') ?? [];
  const issuers = items.map((item, i) => readIssuer(r, item, `trustedIssuers[${i}]`));
  const seen = new Set<string>();
  issuers.forEach((issuer, i) => {
    if (seen.has(issuer.issuer)) {
      r.fail(`trustedIssuers[${i}].issuer`, 'is listed twice');
    }
    seen.add(issuer.issuer);
  });
  if (items.length > 0 && !issuers.some((issuer) => issuer.roles.includes('present'))) {
    r.fail('trustedIssuers', 'must name at least one issuer with the role present');
  }
  if (Array.isArray(value) && items.length === 0) {
    r.fail('trustedIssuers', 'must not be empty');
  }
  return issuers;
}

function readIssuer(r: ConfigReader, value: unknown, path: string): TrustedIssuerConfig {
  const entry = r.mapping(value, path, ISSUER_FIELDS) ?? {};
  const discover = entry['discover'] === true;
  if (entry['discover'] !== undefined && typeof entry['discover'] !== 'boolean') {
    r.fail(`${path}.discover`, 'must be true or false');
  }
  const jwks = readJwks(r, entry['jwks'], `${path}.jwks`);
  if (discover === (jwks !== undefined)) {
    r.fail(path, 'needs exactly one of jwks and discover: true');
  }
  const tokenEndpoint =
    entry['tokenEndpoint'] === undefined
      ? undefined
      : r.url(entry['tokenEndpoint'], `${path}.tokenEndpoint`);
  return {
    issuer: r.url(entry['issuer'], `${path}.issuer`) ?? '',
    roles: r.choices(entry['roles'], `${path}.roles`, ROLES, ['present', 'upstream']),
    discover,
    ...(jwks === undefined ? {} : { jwks }),
    ...(tokenEndpoint === undefined ? {} : { tokenEndpoint }),
    ...(entry['algorithms'] === undefined
      ? {}
      : {
          algorithms: r.choices(
            entry['algorithms'],
            `${path}.algorithms`,
            DOMAIN_SIGNING_ALGORITHMS,
            ['ES256'],
          ),
        }),
  };
}

function readJwks(r: ConfigReader, value: unknown, path: string): TrustedIssuerConfig['jwks'] {
  if (value === undefined) {
    return undefined;
  }
  const jwks = r.mapping(value, path, ['keys']);
  const keys = jwks === undefined ? undefined : r.list(jwks['keys'], `${path}.keys`);
  if (keys === undefined) {
    return undefined;
  }
  const bad = keys.findIndex(
    (k) => typeof k !== 'object' || k === null || typeof (k as { kty?: unknown }).kty !== 'string',
  );
  if (bad >= 0 || keys.length === 0) {
    r.fail(`${path}.keys`, 'must be a non-empty list of JWKs');
    return undefined;
  }
  return { keys: keys as Record<string, unknown>[] };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
