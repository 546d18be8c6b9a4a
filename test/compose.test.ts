import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { BrokerConfig } from '../apps/broker/src/config/broker-config.js';
import { loadBrokerConfigFile } from '../apps/broker/src/config/load-broker-config-file.js';

// No Docker engine runs in CI: the compose file is checked by parsing it, and every domain's
// config is validated by the broker's own loader with the environment compose would give it.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

type Env = Record<string, string>;

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string } | string;
  environment?: Record<string, string | number | boolean | null>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition?: string }> | string[];
  networks?: Record<string, { aliases?: string[] } | null>;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** What `docker compose up` would be run with: fresh secrets, as docs/operations.md describes. */
const hostEnv: Env = {
  BATON_PG_PASSWORD: randomBytes(12).toString('base64url'),
  BATON_A_KEK: randomBytes(32).toString('base64url'),
  BATON_B_KEK: randomBytes(32).toString('hex'),
  BATON_C_KEK: randomBytes(32).toString('base64url'),
  BATON_A_AGENT_SECRET: randomBytes(24).toString('base64url'),
  BATON_B_AGENT_SECRET: randomBytes(24).toString('base64url'),
  BATON_C_AGENT_SECRET: randomBytes(24).toString('base64url'),
};

/** Compose variable interpolation: `${NAME}`, `${NAME:-default}`, `${NAME:?message}`. */
function interpolate(value: string, env: Env): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g,
    (_match, name: string, op, arg: string) => {
      const current = env[name];
      if (current !== undefined && current !== '') {
        return current;
      }
      if (op === '-') {
        return arg;
      }
      throw new Error(`compose would refuse to start: ${name} is unset (${arg ?? 'required'})`);
    },
  );
}

function serviceEnv(service: ComposeService, env: Env): Env {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [
      key,
      interpolate(String(value), env),
    ]),
  );
}

/** The host file mounted at `target` (bind mounts written `./host:/target[:ro]`). */
function mountedFile(service: ComposeService, target: string): string | undefined {
  for (const volume of service.volumes ?? []) {
    const [source, mountTarget] = volume.split(':');
    if (mountTarget === target && source !== undefined && source.startsWith('.')) {
      return join(root, source);
    }
  }
  return undefined;
}

function healthcheckCommand(service: ComposeService): string {
  const test = service.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

function dependsOn(service: ComposeService): Record<string, { condition?: string }> {
  const value = service.depends_on ?? {};
  return Array.isArray(value) ? Object.fromEntries(value.map((name) => [name, {}])) : value;
}

/** The named service; throws (failing the test) when compose does not define it. */
function serviceNamed(name: string): ComposeService {
  const found = compose.services[name];
  if (found === undefined) {
    throw new Error(`docker-compose.yml has no service ${name}`);
  }
  return found;
}

const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const brokerNames = Object.keys(compose.services).filter(
  (name) => serviceNamed(name).build !== undefined,
);
const initSql = read('docker/postgres/init-databases.sql');
const caddyfile = read('docker/caddy/Caddyfile');

const loaded = new Map<string, BrokerConfig>();

/** The config a broker service would start with (memoized: the loader hashes client secrets with scrypt). */
function loadServiceConfig(name: string): BrokerConfig {
  const cached = loaded.get(name) ?? loadServiceConfigWith(name, hostEnv);
  loaded.set(name, cached);
  return cached;
}

function loadServiceConfigWith(name: string, env: Env): BrokerConfig {
  const service = serviceNamed(name);
  const environment = serviceEnv(service, env);
  const configPath = mountedFile(service, environment['BATON_CONFIG'] ?? '');
  if (configPath === undefined) {
    throw new Error(`${name}: BATON_CONFIG does not name a mounted config file`);
  }
  return loadBrokerConfigFile(configPath, environment);
}

describe('docker-compose.yml', () => {
  it('runs the three domains a, b and c as broker services built from the Dockerfile', () => {
    expect(brokerNames.sort()).toEqual(['a', 'b', 'c']);
    for (const name of brokerNames) {
      const build = serviceNamed(name).build;
      const context = typeof build === 'string' ? build : build!.context;
      const dockerfile =
        typeof build === 'string' ? 'Dockerfile' : (build!.dockerfile ?? 'Dockerfile');
      expect(existsSync(join(root, context, dockerfile)), `${name} build`).toBe(true);
    }
  });

  it.each(['a', 'b', 'c'])(
    'domain %s: its mounted config passes the broker loader in production mode',
    (name) => {
      const config = loadServiceConfig(name);
      expect(config.mode).toBe('production');
      expect(config.keys.encryptionKey?.length).toBe(32);
      expect(config.database.type).toBe('postgres');
      expect(config.clients.every((client) => client.secretHash?.startsWith('scrypt:'))).toBe(true);
    },
  );

  it.each(['a', 'b', 'c'])(
    'domain %s: the config is refused without the secrets compose passes',
    (name) => {
      const service = serviceNamed(name);
      for (const variable of [
        'BATON_KEY_ENCRYPTION_KEY',
        'BATON_DATABASE_URL',
        'BATON_AGENT_SECRET',
      ]) {
        expect(service.environment, `${name} ${variable}`).toHaveProperty(variable);
        const environment = { ...serviceEnv(service, hostEnv), [variable]: '' };
        const configPath = mountedFile(service, environment['BATON_CONFIG'] ?? '') ?? '';
        expect(
          () => loadBrokerConfigFile(configPath, environment),
          `${name} without ${variable}`,
        ).toThrow(variable);
      }
    },
  );

  it('takes every secret from the environment of `docker compose up`, never from the file', () => {
    for (const name of [...brokerNames, 'postgres']) {
      const environment = serviceNamed(name).environment ?? {};
      for (const [key, value] of Object.entries(environment)) {
        if (/KEK|KEY|SECRET|PASSWORD|DATABASE_URL/.test(key)) {
          expect(String(value), `${name}.${key}`).toMatch(/\$\{[A-Z0-9_]+:\?[^}]+\}/);
        }
      }
    }
    expect(() => serviceEnv(serviceNamed('a'), {})).toThrow(/is unset/);
  });

  it.each(['a', 'b', 'c'])('domain %s: healthcheck, published port and listener agree', (name) => {
    const service = serviceNamed(name);
    const config = loadServiceConfig(name);
    const check = healthcheckCommand(service);
    expect(check).toContain(`http://127.0.0.1:${config.listen.port}/health/ready`);
    expect(config.listen.host).toBe('0.0.0.0');
    for (const port of service.ports ?? []) {
      expect(port, 'published on the host loopback only').toMatch(
        new RegExp(`^127\\.0\\.0\\.1:\\d+:${config.listen.port}$`),
      );
    }
  });

  it('starts every service only after what it depends on is healthy', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, options] of Object.entries(dependsOn(service))) {
        expect(compose.services[dependency], `${name} -> ${dependency}`).toBeDefined();
        expect(options.condition, `${name} -> ${dependency}`).toBe('service_healthy');
        expect(healthcheckCommand(serviceNamed(dependency)), `${dependency} healthcheck`).not.toBe(
          '',
        );
      }
    }
    for (const name of brokerNames) {
      expect(Object.keys(dependsOn(serviceNamed(name)))).toEqual(
        expect.arrayContaining(['postgres', 'tls']),
      );
    }
  });

  it('gives each domain its own PostgreSQL database, created by the init script', () => {
    const postgres = serviceNamed('postgres');
    expect(postgres.image).toBe('postgres:16');
    expect(healthcheckCommand(postgres)).toContain('pg_isready');
    expect(postgres.volumes).toContain(
      './docker/postgres/init-databases.sql:/docker-entrypoint-initdb.d/10-init-databases.sql:ro',
    );
    const created = [...initSql.matchAll(/^CREATE DATABASE (\w+);$/gm)].map((match) => match[1]);
    const used = brokerNames.map((name) => {
      const config = loadServiceConfig(name);
      const url = new URL(config.database.type === 'postgres' ? config.database.url : '');
      expect(url.hostname, `${name} reaches PostgreSQL by service name`).toBe('postgres');
      expect(url.password).toBe(hostEnv['BATON_PG_PASSWORD']);
      return url.pathname.slice(1);
    });
    expect(new Set(used).size).toBe(brokerNames.length);
    expect(created).toEqual(expect.arrayContaining(used));
  });

  it('makes every issuer an https name served by the TLS front, which forwards to that domain', () => {
    const aliases = compose.services['tls']?.networks?.['default']?.aliases ?? [];
    for (const name of brokerNames) {
      const config = loadServiceConfig(name);
      const issuer = new URL(config.issuer);
      expect(issuer.protocol).toBe('https:');
      expect(aliases, `${name} issuer host resolves to the TLS front`).toContain(issuer.hostname);
      const site = new RegExp(
        `^${issuer.hostname.replace(/\./g, '\\.')} \\{\\s*reverse_proxy ${name}:${config.listen.port}\\s*\\}`,
        'm',
      );
      expect(caddyfile, `${issuer.hostname} forwards to ${name}`).toMatch(site);
      expect(serviceEnv(serviceNamed(name), hostEnv)['NODE_EXTRA_CA_CERTS']).toMatch(
        /^\/caddy\/.*root\.crt$/,
      );
    }
  });

  it('lets each domain trust only the issuers of other services in the federation', () => {
    const issuers = new Map(brokerNames.map((name) => [name, loadServiceConfig(name).issuer]));
    for (const name of brokerNames) {
      const config = loadServiceConfig(name);
      for (const peer of config.peers) {
        const owner = [...issuers].find(([, issuer]) => issuer === peer.issuer)?.[0];
        expect(owner, `${name} peer ${peer.issuer}`).toBeDefined();
        expect(owner).not.toBe(name);
        if (peer.tokenEndpoint !== undefined) {
          expect(peer.tokenEndpoint.startsWith(`${peer.issuer}/`)).toBe(true);
        }
      }
    }
    const peersOf = (name: string): string[] =>
      loadServiceConfig(name).peers.map((peer) => peer.issuer);
    expect(peersOf('b')).toEqual([issuers.get('a')]);
    expect(peersOf('c').sort()).toEqual([issuers.get('a'), issuers.get('b')].sort());
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('builds on node:20-bookworm-slim in stages and runs the broker as a non-root user', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(stages).toEqual(['node:20-bookworm-slim', 'node:20-bookworm-slim']);
    expect(dockerfile).toMatch(/apt-get install[^\n]*python3 make g\+\+/);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain(
      'CMD ["node", "--max-semi-space-size=32", "dist/apps/broker/src/main.js"]',
    );
    expect(runtime).toContain('BATON_CONFIG=');
  });
});
