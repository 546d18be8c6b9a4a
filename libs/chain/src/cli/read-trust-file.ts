import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import { ISSUER_ROLES, type IssuerRole } from '../protocol/index.js';
import type { TrustedIssuer } from '../trust-store.js';
import { CliFailure } from './cli-failure.js';
import { EXIT_USAGE } from './exit-codes.js';

type Json = Record<string, unknown>;

/**
 * Read a trust file: JSON `{ "issuers": [ ... ] }` (or a broker's audit export), one entry per trusted issuer with either a
 * static `jwks` plus its `tokenEndpoint` (offline), or `"discover": true` (RFC 8414 metadata).
 * Every problem is reported at once, each named by its path.
 */
export async function readTrustFile(path: string): Promise<TrustedIssuer[]> {
  let raw: unknown;
  try {
    raw = parseTrustSource(await readFile(path, 'utf8'));
  } catch (error) {
    const reason =
      error instanceof SyntaxError ? 'is not valid JSON' : `cannot be read (${errnoOf(error)})`;
    throw new CliFailure(EXIT_USAGE, `trust file ${path} ${reason}`);
  }
  const problems: string[] = [];
  const issuers = readIssuers(raw, problems);
  if (problems.length > 0) {
    throw new CliFailure(
      EXIT_USAGE,
      problems.map((problem) => `trust file ${path}: ${problem}`).join('\n'),
    );
  }
  return issuers;
}

/**
 * A trust file is one JSON document; a broker's audit export (JSON Lines) also serves as one: its
 * first line carries `trust`, an entry with every key the domain ever signed with.
 */
function parseTrustSource(text: string): unknown {
  const firstLine = text.trimStart().split('\n', 1)[0] ?? '';
  const header = firstLine.includes('"baton.audit-export"')
    ? (JSON.parse(firstLine) as unknown)
    : undefined;
  if (isObject(header) && header['type'] === 'baton.audit-export') {
    return { issuers: [header['trust']] };
  }
  return JSON.parse(text);
}

/** Every issuer of several trust files; an issuer named twice is a usage error. */
export async function readTrustFiles(paths: readonly string[]): Promise<TrustedIssuer[]> {
  const issuers = (await Promise.all(paths.map(readTrustFile))).flat();
  const seen = new Set<string>();
  for (const issuer of issuers) {
    if (seen.has(issuer.issuer)) {
      throw new CliFailure(
        EXIT_USAGE,
        `trust files: issuer ${issuer.issuer} is named more than once`,
      );
    }
    seen.add(issuer.issuer);
  }
  return issuers;
}

function readIssuers(raw: unknown, problems: string[]): TrustedIssuer[] {
  const list = isObject(raw) ? raw['issuers'] : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    problems.push('issuers must be a non-empty list');
    return [];
  }
  return list.flatMap((entry: unknown, index) => {
    const issuer = readIssuer(entry, `issuers[${index}]`, problems);
    return issuer === undefined ? [] : [issuer];
  });
}

function readIssuer(entry: unknown, path: string, problems: string[]): TrustedIssuer | undefined {
  if (!isObject(entry)) {
    problems.push(`${path} must be an object`);
    return undefined;
  }
  const before = problems.length;
  const { issuer, jwks, discover, tokenEndpoint, roles, algorithms } = entry;
  if (!isUrl(issuer)) {
    problems.push(`${path}.issuer must be an http(s) URL`);
  }
  if ((jwks === undefined) === (discover !== true)) {
    problems.push(`${path} needs exactly one of jwks and "discover": true`);
  }
  if (
    jwks !== undefined &&
    !(isObject(jwks) && Array.isArray(jwks['keys']) && jwks['keys'].every(isObject))
  ) {
    problems.push(`${path}.jwks must be a JWK Set ({ "keys": [ ... ] })`);
  }
  if (jwks !== undefined && tokenEndpoint === undefined) {
    problems.push(`${path}.tokenEndpoint is required with a static jwks (hop proofs name it)`);
  }
  if (tokenEndpoint !== undefined && !isUrl(tokenEndpoint)) {
    problems.push(`${path}.tokenEndpoint must be an http(s) URL`);
  }
  if (
    roles !== undefined &&
    !isListOf(roles, (role) => ISSUER_ROLES.includes(role as IssuerRole))
  ) {
    problems.push(`${path}.roles must be a list of ${ISSUER_ROLES.join(', ')}`);
  }
  if (algorithms !== undefined && !isListOf(algorithms, (alg) => typeof alg === 'string')) {
    problems.push(`${path}.algorithms must be a list of algorithm names`);
  }
  if (problems.length > before) {
    return undefined;
  }
  return {
    issuer: issuer as string,
    keys: jwks === undefined ? { discover: true } : { jwks: jwks as unknown as JSONWebKeySet },
    ...(tokenEndpoint === undefined ? {} : { tokenEndpoint: tokenEndpoint as string }),
    ...(roles === undefined ? {} : { roles: roles as IssuerRole[] }),
    ...(algorithms === undefined ? {} : { algorithms: algorithms as string[] }),
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isListOf(value: unknown, predicate: (item: unknown) => boolean): boolean {
  return Array.isArray(value) && value.length > 0 && value.every(predicate);
}

function isUrl(value: unknown): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'unknown error';
}
