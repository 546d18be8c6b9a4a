import { DataSource } from 'typeorm';

/** The test PostgreSQL: trust auth, user postgres, database `test` (the bench uses it too). */
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** `work` on a one-connection DataSource to POSTGRES_URL, closed afterwards: for raw SQL. */
export async function withPostgres<T>(work: (db: DataSource) => Promise<T>): Promise<T> {
  const db = new DataSource({
    type: 'postgres',
    url: POSTGRES_URL,
    connectTimeoutMS: 2000,
    extra: { max: 1 },
  });
  await db.initialize();
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}
