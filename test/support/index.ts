/**
 * Test support: real broker domains on 127.0.0.1 with real databases.
 *
 * ```ts
 * import { startBrokerDomain, describeEachDatabase, ManualClock } from '../../test/support/index.js';
 *
 * await describeEachDatabase('my feature', (kind) => {       // runs for sqlite, and postgres if up
 *   let a: BrokerDomain;
 *   beforeAll(async () => { a = await startBrokerDomain({ kind, configOverrides: { clients: [...] } }); });
 *   afterAll(() => a.close());
 *   it('...', async () => { await fetch(`${a.url}/jwks`); });
 * });
 * ```
 *
 * - `startBrokerDomain(options?)` → `BrokerDomain { issuer, url, app, config, raw, clock, database, close() }`.
 *   options: `kind` ('sqlite' default | 'postgres'), `issuerPort` (default free; issuer is
 *   `http://127.0.0.1:<port>`), `listenPort`, `configOverrides` (file-format config, deep-merged
 *   over `{ mode: 'demo', issuer, listen, database, clients: [], peers: [] }`: arrays replace, so
 *   pass whole `clients`/`peers` lists; secrets as `secret` or `secretEnv` + `env`), `env`,
 *   `clock` (default the system clock), `replicaOf` (another replica of a running domain: same
 *   issuer, config, database and clock, own port; its close() leaves the database).
 *   A domain's `close()` stops its listener and drops its temp SQLite dir / PostgreSQL schema.
 * - `databaseKinds()` → `['sqlite']` or `['sqlite', 'postgres']`; prints once why PostgreSQL is skipped.
 * - `describeEachDatabase(name, body)` → one `describe` per kind; the PostgreSQL one is shown as
 *   skipped, with the reason, when 127.0.0.1:5432 is down. Top-level `await` it.
 * - `createTestDatabase(kind)` → `{ config, drop() }`: a temp SQLite file or a fresh schema in
 *   database `test` (postgres://postgres@127.0.0.1:5432/test); `withPostgres(db => ...)` for raw SQL.
 * - Logs: every app writes its JSON lines to a {@link LogCapture} (default the shared `testLogs`,
 *   or pass `logs`), not to the runner's output; assert on `capture.records()`.
 *   `BATON_TEST_LOGS=1` echoes them to stderr while debugging.
 * - `getFreePort()`; `ManualClock` (`now()`, `advance(seconds)`, `seconds()`), the CLOCK the app uses.
 */
export {
  startBrokerDomain,
  deepMerge,
  type BrokerDomain,
  type RawConfig,
  type StartBrokerDomainOptions,
} from './broker-domain.js';
export {
  createTestDatabase,
  databaseKinds,
  describeEachDatabase,
  postgresUnavailableReason,
  withPostgres,
  POSTGRES_URL,
  type DatabaseKind,
  type TestDatabase,
} from './databases.js';
export { getFreePort } from './free-port.js';
export { LogCapture, testLogs, type LogRecord } from './log-capture.js';
export { ManualClock } from './manual-clock.js';
export {
  DEMO_ISSUERS,
  DEMO_PARTNER_API,
  retarget,
  startDemoFederation,
  type DemoDomainName,
  type DemoFederation,
  type StartDemoFederationOptions,
} from './demo-federation.js';
