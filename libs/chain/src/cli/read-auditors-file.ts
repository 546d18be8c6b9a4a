import { readFile } from 'node:fs/promises';
import { CliFailure } from './cli-failure.js';
import { EXIT_USAGE } from './exit-codes.js';

/** One domain an auditor may ask: its issuer, where its auditor API is, and the credential. */
export interface AuditorDomain {
  issuer: string;
  /** Base URL of the broker's endpoints; default the issuer. */
  url: string;
  /** `<auditor id>.<secret>`, sent as `Authorization: Bearer`; never printed. */
  credential: string;
}

/**
 * Read an auditors file: JSON `{ "domains": [ { "issuer", "credential" | "credentialEnv",
 * "url"? } ] }`. A credential may come from the environment variable `credentialEnv` names.
 */
export async function readAuditorsFile(
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<AuditorDomain[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const reason =
      error instanceof SyntaxError
        ? 'is not valid JSON'
        : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`;
    throw new CliFailure(EXIT_USAGE, `auditors file ${path} ${reason}`);
  }
  const list = isObject(raw) ? raw['domains'] : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new CliFailure(EXIT_USAGE, `auditors file ${path}: domains must be a non-empty list`);
  }
  const problems: string[] = [];
  const domains = list.flatMap((entry: unknown, index) => {
    const domain = readDomain(entry, env);
    if (typeof domain === 'string') {
      problems.push(`auditors file ${path}: domains[${index}] ${domain}`);
      return [];
    }
    return [domain];
  });
  if (problems.length > 0) {
    throw new CliFailure(EXIT_USAGE, problems.join('\n'));
  }
  return domains;
}

function readDomain(
  entry: unknown,
  env: Readonly<Record<string, string | undefined>>,
): AuditorDomain | string {
  if (!isObject(entry)) {
    return 'must be an object';
  }
  const { issuer, url, credential, credentialEnv } = entry;
  if (!isUrl(issuer) || (url !== undefined && !isUrl(url))) {
    return 'needs issuer (and url, if given) as http(s) URLs';
  }
  const secret =
    typeof credentialEnv === 'string' ? env[credentialEnv] : (credential as string | undefined);
  if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9._~+/-]+=*$/.test(secret)) {
    return 'needs credential (or credentialEnv naming a set variable) as <auditor id>.<secret>';
  }
  return {
    issuer,
    url: (url ?? issuer).replace(/\/$/, ''),
    credential: secret,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUrl(value: unknown): value is string {
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
