import type { ConfigIssue } from '@baton/config';
import type { AuditorConfig } from './broker-config.js';
import { hashClientSecret } from './client-secret.js';
import type { AuditorSchema } from './schema/auditor.schema.js';

const MIN_SECRET_LENGTH = 16;

/**
 * Shape `auditors:` into {@link AuditorConfig}s: exactly one secret source each, ids unique, no
 * plain secret in a production file; the secret is kept only as its scrypt hash.
 */
export function resolveAuditors(
  list: readonly AuditorSchema[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
  production: boolean,
): { auditors: AuditorConfig[]; issues: ConfigIssue[] } {
  const auditors: AuditorConfig[] = [];
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  // Runs on a schema that may itself be invalid: `auditors` may be anything.
  const entries: readonly AuditorSchema[] = Array.isArray(list) ? (list as AuditorSchema[]) : [];
  entries.forEach((auditor, index) => {
    const path = `auditors[${index}]`;
    if (typeof auditor !== 'object' || auditor === null || typeof auditor.id !== 'string') {
      return;
    }
    if (seen.has(auditor.id)) {
      issues.push({
        path: `${path}.id`,
        message: `duplicates another auditor's id "${auditor.id}"`,
      });
    }
    seen.add(auditor.id);
    const sources = (['secret', 'secretEnv', 'secretHash'] as const).filter(
      (key) => auditor[key] !== undefined,
    );
    if (sources.length !== 1) {
      issues.push({ path, message: 'needs exactly one of secret, secretEnv, secretHash' });
      return;
    }
    if (production && auditor.secret !== undefined) {
      issues.push({
        path: `${path}.secret`,
        message: 'must not be written in the file in production mode; use secretEnv or secretHash',
      });
      return;
    }
    const secret = auditor.secretEnv === undefined ? auditor.secret : env[auditor.secretEnv];
    if (
      auditor.secretEnv !== undefined &&
      (secret === undefined || secret.length < MIN_SECRET_LENGTH)
    ) {
      issues.push({
        path: `${path}.secretEnv`,
        message: `names ${auditor.secretEnv}, which is unset or shorter than ${MIN_SECRET_LENGTH} characters`,
      });
      return;
    }
    const secretHash = secret === undefined ? auditor.secretHash : hashClientSecret(secret);
    if (secretHash !== undefined) {
      auditors.push({ id: auditor.id, secretHash });
    }
  });
  return { auditors, issues };
}
