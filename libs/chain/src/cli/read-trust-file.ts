import { readFile } from 'node:fs/promises';
import { isObject } from '../lib/json.js';
import { trustConfigProblems, trustedIssuersOf, type TrustConfig } from '../trust-config.js';
import type { TrustedIssuer } from '../trust-store.js';
import { CliFailure } from './cli-failure.js';
import { EXIT_USAGE } from './exit-codes.js';

/**
 * Read a trust file: the JSON form of a trust configuration (`trustStoreFromConfig`, and the
 * partner API's `trust:` section), `{ "issuers": [ ... ] }` with each issuer's static `jwks`
 * (offline) or `"discover": true` (RFC 8414 metadata) — or a broker's audit export, whose first
 * line names every key the domain ever signed with. Every problem is reported at once, each
 * named by its path.
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
  const problems = trustConfigProblems(raw);
  if (problems.length > 0) {
    throw new CliFailure(
      EXIT_USAGE,
      problems
        .map((problem) => `trust file ${path}: ${problem.path} ${problem.message}`.trimEnd())
        .join('\n'),
    );
  }
  return trustedIssuersOf(raw as TrustConfig);
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

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'unknown error';
}
