import type { JSONWebKeySet } from 'jose';
import { isObject } from './lib/json.js';
import {
  listOfProblem,
  unknownFieldProblems,
  type ConfigProblem,
} from './lib/trust-config-rules.js';
import {
  DEFAULT_ISSUER_ROLES,
  DOMAIN_SIGNING_ALGORITHMS,
  endpointUrlProblem,
  ISSUER_ROLES,
  issuerUrlProblem,
  publicJwkSetProblem,
  tokenEndpointOf,
  type IssuerRole,
} from './protocol/index.js';
import { TrustStore, type TrustedIssuer, type TrustStoreOptions } from './trust-store.js';

/**
 * One trusted issuer as written in a trust file or a configuration section (JSON or YAML): the
 * same shape for the library, the `baton` CLI's `--trust` file and the partner API's `trust:`.
 */
export interface TrustedIssuerConfig {
  /** Exact issuer identifier: https (http on loopback only), no query, no trailing slash. */
  readonly issuer: string;
  /** Default `['present', 'upstream']`. */
  readonly roles?: readonly IssuerRole[];
  /** Keys and token endpoint from the issuer's RFC 8414 metadata. Exactly one of this and `jwks`. */
  readonly discover?: boolean;
  /** Static public keys (offline). Exactly one of this and `discover: true`. */
  readonly jwks?: JSONWebKeySet;
  /** Token endpoint named by hop proofs; default from metadata, or `<issuer>/token` with `jwks`. */
  readonly tokenEndpoint?: string;
  /** Default `['ES256']`; among the domain signing algorithms. */
  readonly algorithms?: readonly string[];
  /**
   * Accept this issuer's links when its Token Status List cannot be had (fail-open); default
   * false: an unavailable list refuses the chain. Read by {@link failOpenIssuersOf}.
   */
  readonly statusFailOpen?: boolean;
}

/** `{ "issuers": [ ... ] }`: a verifier's whole trust set as configuration. */
export interface TrustConfig {
  readonly issuers: readonly TrustedIssuerConfig[];
}

/** A trust configuration that failed validation: one line per problem, each naming its path. */
export class TrustConfigError extends TypeError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map(({ path, message }) => `${path} ${message}`).join('\n'));
    this.name = 'TrustConfigError';
    this.problems = problems;
  }
}

export type { ConfigProblem };

const FIELDS = [
  'issuer',
  'roles',
  'discover',
  'jwks',
  'tokenEndpoint',
  'algorithms',
  'statusFailOpen',
] as const;

/**
 * Every problem of a trust configuration at once, each with its path (`issuers[1].issuer`):
 * unknown fields, bad URLs, no or two key sources, private keys in a JWKS, unknown roles or
 * algorithms, an issuer listed twice, no issuer that may present tokens. Empty when it is valid.
 */
export function trustConfigProblems(raw: unknown): ConfigProblem[] {
  if (!isObject(raw)) {
    return [{ path: '', message: 'must be an object with an "issuers" list' }];
  }
  const problems = unknownFieldProblems(raw, ['issuers'], '');
  const issuers = raw['issuers'];
  if (!Array.isArray(issuers) || issuers.length === 0) {
    return [...problems, { path: 'issuers', message: 'must be a non-empty list' }];
  }
  const seen = new Map<unknown, number>();
  issuers.forEach((entry: unknown, index) => {
    const path = `issuers[${index}]`;
    problems.push(...issuerProblems(entry, path));
    const issuer = isObject(entry) ? entry['issuer'] : undefined;
    const first = seen.get(issuer);
    if (first !== undefined) {
      problems.push({ path: `${path}.issuer`, message: `duplicates issuers[${first}].issuer` });
    } else if (issuer !== undefined) {
      seen.set(issuer, index);
    }
  });
  if (!issuers.some(mayPresent)) {
    problems.push({
      path: 'issuers',
      message: 'must name at least one issuer with the role present',
    });
  }
  return problems;
}

/**
 * Validates a trust configuration and returns it typed.
 *
 * @throws TrustConfigError listing every problem.
 */
export function parseTrustConfig(raw: unknown): TrustConfig {
  const problems = trustConfigProblems(raw);
  if (problems.length > 0) {
    throw new TrustConfigError(problems);
  }
  return raw as TrustConfig;
}

/** The {@link TrustStore} issuers a valid trust configuration describes. */
export function trustedIssuersOf(config: TrustConfig): TrustedIssuer[] {
  return config.issuers.map((entry): TrustedIssuer => {
    const tokenEndpoint =
      entry.tokenEndpoint ?? (entry.jwks === undefined ? undefined : tokenEndpointOf(entry.issuer));
    return {
      issuer: entry.issuer,
      keys: entry.jwks === undefined ? { discover: true } : { jwks: entry.jwks },
      ...(entry.roles === undefined ? {} : { roles: entry.roles }),
      ...(tokenEndpoint === undefined ? {} : { tokenEndpoint }),
      ...(entry.algorithms === undefined ? {} : { algorithms: entry.algorithms }),
    };
  });
}

/** Issuers whose links a {@link StatusListClient} should accept when their list cannot be had. */
export function failOpenIssuersOf(config: TrustConfig): string[] {
  return config.issuers.filter((entry) => entry.statusFailOpen === true).map((e) => e.issuer);
}

/**
 * A {@link TrustStore} from a trust configuration as written in JSON or YAML (validated first);
 * `options` are the store's other settings (fetch, cache TTL, ...).
 *
 * @example
 * const trust = trustStoreFromConfig({
 *   issuers: [
 *     { issuer: 'https://a.example', roles: ['upstream'], discover: true },
 *     { issuer: 'https://b.example', roles: ['present', 'upstream'], discover: true },
 *   ],
 * });
 * @throws TrustConfigError listing every problem.
 */
export function trustStoreFromConfig(
  raw: unknown,
  options: Omit<TrustStoreOptions, 'issuers'> = {},
): TrustStore {
  return new TrustStore({ ...options, issuers: trustedIssuersOf(parseTrustConfig(raw)) });
}

function issuerProblems(entry: unknown, path: string): ConfigProblem[] {
  if (!isObject(entry)) {
    return [{ path, message: 'must be an object' }];
  }
  const problems = unknownFieldProblems(entry, FIELDS, path);
  const at = (field: string, message: string | undefined): void => {
    if (message !== undefined) {
      problems.push({ path: `${path}.${field}`, message });
    }
  };
  const { issuer, roles, discover, jwks, tokenEndpoint, algorithms, statusFailOpen } = entry;
  at('issuer', issuer === undefined ? 'is required' : issuerUrlProblem(issuer));
  at('roles', roles === undefined ? undefined : listOfProblem(roles, ISSUER_ROLES));
  at(
    'discover',
    discover === undefined || typeof discover === 'boolean' ? undefined : 'must be true or false',
  );
  at(
    'statusFailOpen',
    statusFailOpen === undefined || typeof statusFailOpen === 'boolean'
      ? undefined
      : 'must be true or false',
  );
  at('jwks', jwks === undefined ? undefined : publicJwkSetProblem(jwks));
  at('tokenEndpoint', tokenEndpoint === undefined ? undefined : endpointUrlProblem(tokenEndpoint));
  at(
    'algorithms',
    algorithms === undefined ? undefined : listOfProblem(algorithms, DOMAIN_SIGNING_ALGORITHMS),
  );
  if (jwks === undefined && discover !== true) {
    problems.push({ path, message: 'has no keys: set jwks or discover: true' });
  } else if (jwks !== undefined && discover === true) {
    problems.push({ path, message: 'sets both jwks and discover: true; choose one' });
  }
  return problems;
}

function mayPresent(entry: unknown): boolean {
  const roles: unknown = isObject(entry) ? (entry['roles'] ?? DEFAULT_ISSUER_ROLES) : [];
  return Array.isArray(roles) && roles.includes('present');
}
