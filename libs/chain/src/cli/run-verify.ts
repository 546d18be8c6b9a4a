import { parseArgs } from 'node:util';
import type { DecodedChain } from '../decode-chain.js';
import { ChainError } from '../lib/errors.js';
import { TrustStore, type TrustedIssuer } from '../trust-store.js';
import type { VerifiedChain } from '../protocol/index.js';
import { verifyChain } from '../verify-chain.js';
import { CliFailure } from './cli-failure.js';
import type { CliIo } from './cli-io.js';
import { EXIT_INVALID, EXIT_MALFORMED, EXIT_OK, EXIT_USAGE, type ExitCode } from './exit-codes.js';
import { parseCommandLine } from './parse-command-line.js';
import { readTokenInput } from './read-token-input.js';
import { readTrustFiles } from './read-trust-file.js';
import { renderFailure, renderVerified, type VerifyContext } from './render-verification.js';
import { decodeOrFail } from './run-inspect.js';
import { VERIFY_USAGE } from './usage.js';
import { systemEpochSeconds } from '../lib/time.js';

const OPTIONS = {
  trust: { type: 'string', multiple: true },
  audience: { type: 'string' },
  now: { type: 'string' },
  'max-depth': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `baton verify <token|@file|-> --trust <file>`: run verifyChain and report the outcome. */
export async function runVerify(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, token: argument } = parseCommandLine(
    () => parseArgs({ args: [...args], allowPositionals: true, options: OPTIONS }),
    VERIFY_USAGE,
  );
  if (values.help === true) {
    io.stdout(VERIFY_USAGE);
    return EXIT_OK;
  }
  if (values.trust === undefined || values.trust.length === 0) {
    throw new CliFailure(EXIT_USAGE, `--trust <file> is required\n\n${VERIFY_USAGE.trimEnd()}`);
  }
  const now = timeOption(values.now);
  const maxDepth = integerOption(values['max-depth'], '--max-depth', 1);
  const issuers = await readTrustFiles(values.trust);
  const trust = createTrustStore(issuers);
  const token = await readTokenInput(argument, io);
  const decoded = decodeOrFail(token);
  const context: VerifyContext = {
    trustFile: values.trust.join(', '),
    discovery: issuers.some((issuer) => 'discover' in issuer.keys),
    audience: values.audience ?? tokenAudience(decoded),
    audienceChecked: values.audience !== undefined,
    now: now ?? systemEpochSeconds(),
    decoded,
  };
  let verified: VerifiedChain;
  try {
    verified = await verifyChain(token, {
      trust,
      audience: context.audience,
      now: context.now,
      ...(maxDepth === undefined ? {} : { maxDepth }),
    });
  } catch (error) {
    if (!(error instanceof ChainError)) {
      throw error;
    }
    io.stdout(
      values.json === true ? json(failureJson(error, context)) : renderFailure(error, context),
    );
    return error.code === 'ERR_MALFORMED' ? EXIT_MALFORMED : EXIT_INVALID;
  }
  io.stdout(
    values.json === true
      ? json(verifiedJson(verified, context))
      : renderVerified(verified, context),
  );
  return EXIT_OK;
}

function createTrustStore(issuers: readonly TrustedIssuer[]): TrustStore {
  try {
    return new TrustStore({ issuers });
  } catch (error) {
    throw new CliFailure(
      EXIT_USAGE,
      `trust file: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function tokenAudience(decoded: DecodedChain): string {
  const aud = decoded.claims['aud'];
  if (typeof aud !== 'string') {
    throw new CliFailure(EXIT_MALFORMED, 'not a Baton token: aud is not a single string');
  }
  return aud;
}

/** `--now`: seconds since 1970, or an ISO 8601 date-time with a zone (`2026-11-26T23:23:08Z`). */
function timeOption(value: string | undefined): number | undefined {
  if (value === undefined || /^\d+$/.test(value)) {
    return integerOption(value, '--now', 0);
  }
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
  const millis = iso.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(millis) || millis < 0) {
    throw new CliFailure(
      EXIT_USAGE,
      '--now must be seconds since 1970 or an ISO 8601 date-time with a zone (2026-11-26T23:23:08Z)',
    );
  }
  return Math.floor(millis / 1000);
}

function integerOption(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min) {
    throw new CliFailure(EXIT_USAGE, `${name} must be an integer of at least ${min}`);
  }
  return parsed;
}

const NOT_CHECKED = [
  'revocation status: no status list is consulted (invariant 10 checks expiry only)',
  "a presenting request's DPoP proof (invariant 9): there is no request here",
];

function verifiedJson(verified: VerifiedChain, context: VerifyContext): unknown {
  return {
    valid: true,
    audience: context.audience,
    audienceChecked: context.audienceChecked,
    now: context.now,
    subject: verified.subject,
    agentKeyThumbprint: verified.agentKeyThumbprint,
    originIssuer: verified.originIssuer,
    depth: verified.depth,
    scope: verified.scope,
    joinKey: { iss: verified.claims['iss'], jti: verified.claims['jti'] },
    hops: verified.hops,
    linkHashes: verified.linkHashes,
    tokenHash: verified.tokenHash,
    notChecked: NOT_CHECKED,
  };
}

function failureJson(error: ChainError, context: VerifyContext): unknown {
  const link = error.detail.link;
  return {
    valid: false,
    audience: context.audience,
    audienceChecked: context.audienceChecked,
    now: context.now,
    error: {
      code: error.code,
      invariant: error.invariant,
      message: error.message,
      ...error.detail,
      ...(link === undefined ? {} : { linkIssuer: context.decoded.links[link]?.claims.iss }),
      ...(error.cause instanceof Error ? { cause: error.cause.message } : {}),
    },
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
