import type { ConfigIssue } from '@baton/config';
import type { RevocationConfig } from './broker-config.js';
import { hashClientSecret } from './client-secret.js';
import type { BrokerConfigSchema } from './schema/broker-config.schema.js';

export const DEFAULT_STATUS_LIST_TTL_SECONDS = 300;

/**
 * The `revocation:` section with its administrator secret resolved (file, environment or hash,
 * at most one; a plain secret in the file is refused in production) and its cross-field rules.
 */
export function resolveRevocationConfig(
  schema: BrokerConfigSchema,
  env: Readonly<Record<string, string | undefined>>,
  production: boolean,
): { value: RevocationConfig; issues: ConfigIssue[] } {
  const section = schema.revocation ?? {};
  const issues: ConfigIssue[] = [];
  const sources = ['adminSecret', 'adminSecretEnv', 'adminSecretHash'] as const;
  if (sources.filter((name) => section[name] !== undefined).length > 1) {
    issues.push({
      path: 'revocation',
      message: `sets more than one of ${sources.join(', ')}; choose one`,
    });
  }
  if (production && section.adminSecret !== undefined) {
    issues.push({
      path: 'revocation.adminSecret',
      message: 'is refused in production mode (use adminSecretEnv)',
    });
  }
  let secret = section.adminSecret;
  if (typeof section.adminSecretEnv === 'string') {
    secret = env[section.adminSecretEnv];
    if (secret === undefined || secret.length < 32) {
      issues.push({
        path: 'revocation.adminSecretEnv',
        message: `names ${section.adminSecretEnv}, which must hold at least 32 characters`,
      });
    }
  }
  const clientIds = new Set((schema.clients ?? []).map((client) => client.clientId));
  (section.introspectionClients ?? []).forEach((clientId, index) => {
    if (typeof clientId === 'string' && !clientIds.has(clientId)) {
      issues.push({
        path: `revocation.introspectionClients[${index}]`,
        message: `names "${clientId}", which is not in clients`,
      });
    }
  });
  const adminSecretHash =
    typeof secret === 'string' && secret.length >= 32
      ? hashClientSecret(secret)
      : section.adminSecretHash;
  return {
    value: {
      statusListTtlSeconds: section.statusListTtlSeconds ?? DEFAULT_STATUS_LIST_TTL_SECONDS,
      ...(adminSecretHash === undefined ? {} : { adminSecretHash }),
      introspectionClients: section.introspectionClients ?? [],
      failOpenIssuers: section.failOpenIssuers ?? [],
    },
    issues,
  };
}
