import { SigningKeys1764200000000 } from './migrations/1764200000000-signing-keys.js';
import { TokenEndpoint1764201000000 } from './migrations/1764201000000-token-endpoint.js';
import { Revocation1764300000000 } from './migrations/1764300000000-revocation.js';
import { AuditLog1764300000000 } from './migrations/1764300000000-audit-log.js';

/**
 * Every migration, oldest first; run at start-up (`migrationsRun: true`). Append new ones with a
 * larger timestamp; never edit one that has shipped. Use the QueryRunner Table API so each runs
 * on SQLite and PostgreSQL alike.
 */
export const BROKER_MIGRATIONS = [
  SigningKeys1764200000000,
  TokenEndpoint1764201000000,
  Revocation1764300000000,
  AuditLog1764300000000,
];
