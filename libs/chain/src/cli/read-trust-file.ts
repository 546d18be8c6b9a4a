import { readFile } from 'node:fs/promises';
import { trustConfigProblems, trustedIssuersOf, type TrustConfig } from '../trust-config.js';
import type { TrustedIssuer } from '../trust-store.js';
import { CliFailure } from './cli-failure.js';
import { EXIT_USAGE } from './exit-codes.js';

/**
 * Read a trust file: the JSON form of a trust configuration (`trustStoreFromConfig`, and the
 * partner API's `trust:` section), `{ "issuers": [ ... ] }` with each issuer's static `jwks`
 * (offline) or `"discover": true` (RFC 8414 metadata). Every problem is reported at once, each
 * named by its path.
 */
export async function readTrustFile(path: string): Promise<TrustedIssuer[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
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

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'unknown error';
}
