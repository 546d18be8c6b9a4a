import { createRequire } from 'node:module';

/** The slice of node-postgres used here (the package ships no types). */
interface PgClient {
  query(...args: unknown[]): unknown;
  connection: { stream: { destroy(): void } };
}
interface PgModule {
  Client: new (config: Record<string, unknown>) => PgClient;
  [member: string]: unknown;
}

export interface PostgresDeadlines {
  /** Establishing a new connection (TCP, TLS, startup, authentication). */
  readonly connectMs: number;
  /** One statement, enforced by the server (`statement_timeout`) and by the client. */
  readonly statementMs: number;
}

const pg = createRequire(import.meta.url)('pg') as PgModule;

/**
 * node-postgres with deadlines, given to TypeORM as its `driver`. Its `query_timeout` rejects a
 * query that gets no answer but leaves the connection waiting for it, so the pool would hand a
 * stalled connection to the next caller; this client destroys the socket instead, and the pool
 * discards the connection (TypeORM releases it with the error).
 */
export function postgresDriverWithDeadlines(deadlines: PostgresDeadlines): PgModule {
  class DeadlineClient extends pg.Client {
    constructor(config: Record<string, unknown>) {
      super({
        ...config,
        connectionTimeoutMillis: deadlines.connectMs,
        query_timeout: deadlines.statementMs,
        statement_timeout: deadlines.statementMs,
      });
    }

    override query(...args: unknown[]): unknown {
      const result = super.query(...args);
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          if (error instanceof Error && error.message === 'Query read timeout') {
            this.connection.stream.destroy();
          }
        });
      }
      return result;
    }
  }
  // Inherit the rest (types, defaults) without reading pg's lazy `native` getter.
  return Object.assign(Object.create(pg) as PgModule, {
    Client: DeadlineClient,
    Pool: poolWith(DeadlineClient),
  });
}

/** pg.Pool whose connections are `client`s (pg-pool's `Client` option). */
function poolWith(client: PgModule['Client']): unknown {
  const Pool = pg.Pool as new (options: Record<string, unknown>) => object;
  return class extends Pool {
    constructor(options: Record<string, unknown>) {
      super({ ...options, Client: client });
    }
  };
}
