import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createBrokerApp } from '../../apps/broker/src/bootstrap.js';
import type { BrokerConfig } from '../../apps/broker/src/config/broker-config.js';
import { parseBrokerConfig } from '../../apps/broker/src/config/parse-broker-config.js';
import { systemClock, type Clock } from '../../apps/broker/src/clock/clock.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';
import { getFreePort } from './free-port.js';
import { testLogs, type LogCapture } from './log-capture.js';

/** Configuration in the file's format (what a YAML file holds); merged over the test defaults. */
export type RawConfig = Record<string, unknown>;

export interface StartBrokerDomainOptions {
  /** Default 'sqlite'. */
  readonly kind?: DatabaseKind;
  /** Port of the issuer `http://127.0.0.1:<port>`; default a free one. */
  readonly issuerPort?: number;
  /** Port the listener binds; default the issuer's port (differs for replicas). */
  readonly listenPort?: number;
  /** Merged into the raw config before validation: objects deeply, arrays and scalars replaced. */
  readonly configOverrides?: RawConfig;
  /** Environment for secretEnv / keys.encryptionKeyEnv. Default {}. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default the system clock; pass a ManualClock to drive time. */
  readonly clock?: Clock;
  /** Start another replica of this domain: same issuer, config and database, its own listener. */
  readonly replicaOf?: BrokerDomain;
  /** Where the domain's JSON log lines go. Default the file's shared {@link testLogs}. */
  readonly logs?: LogCapture;
}

export interface BrokerDomain {
  /** `http://127.0.0.1:<issuerPort>` */
  readonly issuer: string;
  /** Base URL of this process's listener (= issuer, except for a replica). */
  readonly url: string;
  readonly app: NestFastifyApplication;
  readonly config: BrokerConfig;
  readonly raw: RawConfig;
  readonly clock: Clock;
  readonly database: TestDatabase;
  /** Stop the listener; the domain that created the database also drops it. */
  close(): Promise<void>;
}

/** Start one broker domain on 127.0.0.1 with a fresh database (or a replica of a running one). */
export async function startBrokerDomain(
  options: StartBrokerDomainOptions = {},
): Promise<BrokerDomain> {
  const replicaOf = options.replicaOf;
  const database = replicaOf?.database ?? (await createTestDatabase(options.kind ?? 'sqlite'));
  try {
    const issuerPort = replicaOf
      ? Number(new URL(replicaOf.issuer).port)
      : (options.issuerPort ?? (await getFreePort()));
    const listenPort = options.listenPort ?? (replicaOf ? await getFreePort() : issuerPort);
    const issuer = `http://127.0.0.1:${issuerPort}`;
    const base = replicaOf?.raw ?? defaultRawConfig(issuer, database);
    const raw = deepMerge(base, {
      listen: { host: '127.0.0.1', port: listenPort },
      ...(options.configOverrides ?? {}),
    });
    const config = parseBrokerConfig(raw, {
      source: `test domain ${issuer}`,
      env: options.env ?? {},
    });
    const clock = options.clock ?? replicaOf?.clock ?? systemClock;
    const app = await createBrokerApp(config, {
      clock,
      logDestination: options.logs ?? testLogs,
    });
    await app.listen(listenPort, '127.0.0.1');
    return {
      issuer: config.issuer,
      url: `http://127.0.0.1:${listenPort}`,
      app,
      config,
      raw,
      clock,
      database,
      close: async () => {
        await app.close();
        if (replicaOf === undefined) {
          await database.drop();
        }
      },
    };
  } catch (error) {
    if (replicaOf === undefined) {
      await database.drop();
    }
    throw error;
  }
}

function defaultRawConfig(issuer: string, database: TestDatabase): RawConfig {
  return {
    mode: 'demo',
    issuer,
    database: { ...database.config },
    clients: [],
    peers: [],
  };
}

/** Objects merged key by key; arrays, scalars and null replace. */
export function deepMerge(base: RawConfig, override: RawConfig): RawConfig {
  const result: RawConfig = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    result[key] =
      isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return result;
}

function isPlainObject(value: unknown): value is RawConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
