/** Helpers shared by the fault suite: reading a domain's database from outside the broker. */
import sqlite3 from 'sqlite3';
import { hashCompact } from '@baton/chain';
import type { BrokerDomain } from '../support/index.js';
import { withPostgres } from '../support/index.js';

/** Rows of `sql` read through a fresh connection: only what the broker has committed. */
export async function committedRows(
  domain: BrokerDomain,
  sql: string,
): Promise<Record<string, unknown>[]> {
  const config = domain.config.database;
  if (config.type === 'postgres') {
    return withPostgres(async (db) => {
      await db.query(`SET search_path TO "${config.schema}"`);
      return db.query<Record<string, unknown>[]>(sql);
    });
  }
  const db = new sqlite3.Database(config.path, sqlite3.OPEN_READONLY);
  try {
    return await new Promise((resolve, reject) =>
      db.all(sql, (error, rows) =>
        error ? reject(error) : resolve(rows as Record<string, unknown>[]),
      ),
    );
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

/** Hashes of the tokens among `tokens` that have no committed `issued_token` row. */
export async function unrecordedTokens(
  domain: BrokerDomain,
  tokens: readonly string[],
): Promise<string[]> {
  const rows = await committedRows(domain, 'SELECT token_hash FROM issued_token');
  const recorded = new Set(rows.map((row) => String(row.token_hash)));
  return tokens.map(hashCompact).filter((hash) => !recorded.has(hash));
}

/** GET a path of the domain; status, parsed body and headers. */
export async function getJson(
  url: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text };
  }
  return { status: response.status, body, headers: response.headers };
}
