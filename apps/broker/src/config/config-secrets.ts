import type { ConfigIssue } from '@baton/config';
import { hashClientSecret } from './client-secret.js';
import type { BrokerConfigSchema } from './schema/broker-config.schema.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Secrets resolved from the file or the environment; clients' secrets already hashed. */
export interface ResolvedSecrets {
  encryptionKey?: Buffer;
  databaseUrl?: string;
  /** By client index. */
  secretHashes: Map<number, string>;
  issues: ConfigIssue[];
}

const MIN_SECRET_LENGTH = 16;

/** Read the secrets a file names by environment variable, and hash client secrets. */
export function resolveSecrets(
  schema: BrokerConfigSchema,
  env: Env,
  production: boolean,
): ResolvedSecrets {
  const resolved: ResolvedSecrets = { secretHashes: new Map(), issues: [] };
  resolveEncryptionKey(schema, env, production, resolved);
  if (schema.database?.type === 'postgres') {
    resolved.databaseUrl =
      schema.database.url ?? fromEnv(env, schema.database.urlEnv, 'database.urlEnv', resolved);
  }
  (Array.isArray(schema.clients) ? schema.clients : []).forEach((client, index) => {
    if (typeof client !== 'object' || client === null) {
      return;
    }
    const secret =
      client.secret ?? fromEnv(env, client.secretEnv, `clients[${index}].secretEnv`, resolved);
    if (
      typeof client.secretEnv === 'string' &&
      secret !== undefined &&
      secret.length < MIN_SECRET_LENGTH
    ) {
      resolved.issues.push({
        path: `clients[${index}].secretEnv`,
        message: `names ${client.secretEnv}, whose value is shorter than ${MIN_SECRET_LENGTH} characters`,
      });
    } else if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) {
      resolved.secretHashes.set(index, hashClientSecret(secret));
    } else if (typeof client.secretHash === 'string') {
      resolved.secretHashes.set(index, client.secretHash);
    }
  });
  return resolved;
}

function resolveEncryptionKey(
  schema: BrokerConfigSchema,
  env: Env,
  production: boolean,
  out: ResolvedSecrets,
): void {
  const name = schema.keys?.encryptionKeyEnv;
  if (name === undefined) {
    if (production) {
      out.issues.push({
        path: 'keys.encryptionKeyEnv',
        message:
          'is required in production mode (the environment variable holding the 32-byte key-encryption key)',
      });
    }
    return;
  }
  const value = fromEnv(env, name, 'keys.encryptionKeyEnv', out);
  if (value === undefined) {
    return;
  }
  const key = decodeKey(value);
  if (key === undefined) {
    out.issues.push({
      path: 'keys.encryptionKeyEnv',
      message: `names ${name}, which must hold a 32-byte key (43 base64url characters or 64 hex digits)`,
    });
    return;
  }
  out.encryptionKey = key;
}

function decodeKey(value: string): Buffer | undefined {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    return Buffer.from(trimmed, 'hex');
  }
  if (/^[A-Za-z0-9_-]{43}$/.test(trimmed) || /^[A-Za-z0-9+/]{43}=$/.test(trimmed)) {
    return Buffer.from(trimmed, 'base64url');
  }
  return undefined;
}

function fromEnv(env: Env, name: unknown, path: string, out: ResolvedSecrets): string | undefined {
  if (typeof name !== 'string') {
    return undefined;
  }
  const value = env[name];
  if (value === undefined || value === '') {
    out.issues.push({ path, message: `names ${name}, which is not set in the environment` });
    return undefined;
  }
  return value;
}
