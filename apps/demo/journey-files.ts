import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { readConfigFile } from '@baton/config';

/** Where the demo leaves what an auditor needs to try the CLI right after `npm start`. */
export const JOURNEY_FILES = {
  tokens: ['.baton/tokens/t0.jwt', '.baton/tokens/t1.jwt', '.baton/tokens/t2.jwt'],
  trust: '.baton/trust.json',
  auditors: '.baton/auditors.json',
} as const;

/**
 * Writes the journey's tokens (T0 at A, T1 from A for B, T2 from B for C), a trust file naming
 * the three demo brokers (discovery), and the demo auditor's credentials for each broker, as
 * read from its config file. Demo only: these are bearer-like secrets on disk.
 */
export async function writeJourneyFiles(
  root: string,
  tokens: readonly [string, string, string],
  brokers: readonly { readonly issuer: string; readonly configFile: string }[],
): Promise<void> {
  await Promise.all(
    tokens.map((token, index) => writeWhole(join(root, JOURNEY_FILES.tokens[index]), `${token}\n`)),
  );
  const trust = { issuers: brokers.map(({ issuer }) => ({ issuer, discover: true })) };
  await writeWhole(join(root, JOURNEY_FILES.trust), `${JSON.stringify(trust, null, 2)}\n`);
  const domains = brokers.flatMap(({ issuer, configFile }) => {
    const auditor = firstAuditor(
      readConfigFile(isAbsolute(configFile) ? configFile : join(root, configFile)),
    );
    return auditor === undefined ? [] : [{ issuer, credential: `${auditor.id}.${auditor.secret}` }];
  });
  await writeWhole(join(root, JOURNEY_FILES.auditors), `${JSON.stringify({ domains }, null, 2)}\n`);
}

function firstAuditor(raw: unknown): { id: string; secret: string } | undefined {
  const list = (raw as { auditors?: unknown } | undefined)?.auditors;
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  const { id, secret } = (first ?? {}) as { id?: unknown; secret?: unknown };
  return typeof id === 'string' && typeof secret === 'string' ? { id, secret } : undefined;
}

async function writeWhole(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { encoding: 'utf8', mode: 0o600 });
  await rename(temporary, path);
}
