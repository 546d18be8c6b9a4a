import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POSTGRES_URL, withPostgres } from '../../test/support/postgres.js';
import { createEs256Key, type Es256Key } from './es256.js';
import { freePort, startServer, type Server } from './processes.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BROKER = join(ROOT, 'dist/apps/broker/src/main.js');
const PARTNER_API = join(ROOT, 'dist/apps/resource-server/src/main.js');
const PEER = join(ROOT, 'dist/bench/bench/peer/oidc-peer.js');

const CLIENT_CREDENTIALS = 'client_credentials';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** Everything the rounds run against; all on 127.0.0.1. */
export interface Federation {
  agent: Es256Key;
  /** A generated client secret (`baton_cs_…`), registered at A and at the peer. */
  secret: string;
  a: Server;
  /** Broker A's (SQLite) Prometheus metrics, on a listener of their own. */
  aMetricsUrl: string;
  aPostgres?: Server;
  b: Server;
  partnerApi: Server;
  /** The audience of the partner API (domain C's issuer, which needs no broker here). */
  partnerAudience: string;
  peer: Server;
  peerResource: string;
  servers: Server[];
  close(): Promise<void>;
}

export async function startFederation(workDir: string): Promise<Federation> {
  const agent = createEs256Key();
  const secret = `baton_cs_${randomBytes(32).toString('base64url')}`;
  const [pa, paMetrics, paPg, pb, pc, pApi, pPeer] = await Promise.all(
    Array.from({ length: 7 }, () => freePort()),
  );
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const partnerAudience = url(pc);
  const agentJwk = { ...agent.publicJwk, kid: agent.jkt, alg: 'ES256', use: 'sig' };
  const scopes = ['read', 'write'];
  const peerOf = (issuer: string, roles: string[]) => ({
    issuer,
    discover: true,
    roles,
    allowedScopes: scopes,
    allowedAudiences: [partnerAudience],
  });
  // The load generator is one client from one source: lift the per-client and per-source token
  // limits (issue 8's flood defence) far above what a bench run sends.
  const rateLimits = { perSource: 10_000_000, perClient: 10_000_000 };
  const brokerA = (port: number, database: Record<string, unknown>) => ({
    mode: 'demo',
    issuer: url(port),
    listen: { host: '127.0.0.1', port },
    database,
    keys: { algorithm: 'ES256' },
    clients: [
      {
        clientId: 'agent',
        authMethod: 'private_key_jwt',
        jwks: { keys: [agentJwk] },
        scopes,
        grantTypes: [CLIENT_CREDENTIALS, TOKEN_EXCHANGE],
      },
      {
        clientId: 'service',
        authMethod: 'client_secret_basic',
        secret,
        scopes,
        grantTypes: [CLIENT_CREDENTIALS],
      },
    ],
    peers: [peerOf(url(pb), ['present', 'upstream'])],
    policy: { maxChainDepth: 5, audiences: [url(pb)] },
    rateLimits,
  });
  const servers: Server[] = [];
  const start = async (
    name: string,
    script: string,
    port: number,
    config: unknown,
    readyPath: string,
  ) => {
    const file = join(workDir, `${name}.json`);
    writeFileSync(file, JSON.stringify(config));
    const args = script === PEER ? [file] : ['--config', file, '--quiet'];
    const server = await startServer({
      name,
      script,
      args,
      url: url(port),
      readyPath,
      logDir: workDir,
    });
    servers.push(server);
    return server;
  };
  try {
    const a = await start(
      'broker-a',
      BROKER,
      pa,
      {
        ...brokerA(pa, sqlite(workDir, 'a')),
        metrics: { listen: { host: '127.0.0.1', port: paMetrics } },
      },
      '/health/ready',
    );
    const schema = await createSchema();
    const aPostgres =
      schema === undefined
        ? undefined
        : await start(
            'broker-a-postgres',
            BROKER,
            paPg,
            brokerA(paPg, { type: 'postgres', url: POSTGRES_URL, schema }),
            '/health/ready',
          );
    const b = await start(
      'broker-b',
      BROKER,
      pb,
      {
        mode: 'demo',
        issuer: url(pb),
        listen: { host: '127.0.0.1', port: pb },
        database: sqlite(workDir, 'b'),
        keys: { algorithm: 'ES256' },
        clients: [
          {
            clientId: 'agent',
            authMethod: 'private_key_jwt',
            jwks: { keys: [agentJwk] },
            scopes,
            grantTypes: [TOKEN_EXCHANGE],
          },
        ],
        peers: [peerOf(url(pa), ['present', 'upstream'])],
        policy: { maxChainDepth: 5, audiences: [partnerAudience] },
        rateLimits,
      },
      '/health/ready',
    );
    const partnerApi = await start(
      'partner-api',
      PARTNER_API,
      pApi,
      {
        audience: partnerAudience,
        publicBaseUrl: url(pApi),
        listen: { host: '127.0.0.1', port: pApi },
        trust: {
          issuers: [
            { issuer: url(pa), roles: ['upstream'], discover: true },
            { issuer: url(pb), roles: ['present', 'upstream'], discover: true },
          ],
        },
        dpop: { algorithms: ['ES256'], maxAgeSeconds: 60, clockSkewSeconds: 30 },
        policy: { maxChainDepth: 5 },
        replayStore: { maxEntries: 200_000 },
      },
      '/health',
    );
    const peerResource = 'urn:bench:resource';
    const signing = createEs256Key();
    const peer = await start(
      'oidc-provider',
      PEER,
      pPeer,
      {
        issuer: url(pPeer),
        port: pPeer,
        signingJwk: {
          ...signing.privateKey.export({ format: 'jwk' }),
          kid: signing.jkt,
          alg: 'ES256',
          use: 'sig',
        },
        agentJwk,
        secret,
        resource: peerResource,
      },
      '/.well-known/openid-configuration',
    );
    return {
      agent,
      secret,
      a,
      aMetricsUrl: `${url(paMetrics)}/metrics`,
      aPostgres,
      b,
      partnerApi,
      partnerAudience,
      peer,
      peerResource,
      servers,
      close: async () => {
        await Promise.all(servers.map((s) => s.stop()));
        if (schema !== undefined) {
          await dropSchema(schema);
        }
      },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
}

function sqlite(workDir: string, name: string) {
  return { type: 'sqlite', path: join(workDir, `${name}.sqlite`) };
}

/** A fresh schema in database `test`, or undefined when PostgreSQL is not reachable. */
async function createSchema(): Promise<string | undefined> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  try {
    await withPostgres((db) => db.query(`CREATE SCHEMA "${schema}"`));
    return schema;
  } catch {
    return undefined;
  }
}

async function dropSchema(schema: string): Promise<void> {
  await withPostgres((db) => db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}
