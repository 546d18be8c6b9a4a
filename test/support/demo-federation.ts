import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { parse as parseYaml } from 'yaml';
import { readAgentPrivateJwk } from '../../apps/demo/manifest-sources.js';
import {
  deepMerge,
  startBrokerDomain,
  type BrokerDomain,
  type RawConfig,
} from './broker-domain.js';
import { getFreePort } from './free-port.js';

/** The demo's issuer URLs as written in config/*.yaml. */
export const DEMO_ISSUERS = {
  a: 'http://127.0.0.1:4001',
  b: 'http://127.0.0.1:4002',
  c: 'http://127.0.0.1:4003',
} as const;

export type DemoDomainName = keyof typeof DEMO_ISSUERS;

export interface DemoFederation {
  readonly domains: Readonly<Record<DemoDomainName, BrokerDomain>>;
  /** The demo agent's private JWK (config/demo-keys), registered as `agent` at A and B. */
  readonly agentPrivateJwk: JWK;
  /** The demo URL → the URL of this federation, for rewriting demo config or examples. */
  readonly urls: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

export interface StartDemoFederationOptions {
  /** Merged over a domain's demo config (after its URLs are rewritten). */
  readonly overrides?: Partial<Record<DemoDomainName, RawConfig>>;
}

/**
 * The demo's three broker domains (config/a.yaml, b.yaml, c.yaml) in this process on free
 * loopback ports, each demo URL in their configs replaced by the test URL; the demo agent key
 * comes from config/demo-keys. The partner API is not started.
 */
export async function startDemoFederation(
  options: StartDemoFederationOptions = {},
): Promise<DemoFederation> {
  const root = process.cwd();
  const ports = await Promise.all([getFreePort(), getFreePort(), getFreePort()]);
  const names = Object.keys(DEMO_ISSUERS) as DemoDomainName[];
  const urls = new Map(
    names.map((name, i) => [DEMO_ISSUERS[name], `http://127.0.0.1:${ports[i]}`]),
  );
  const started: BrokerDomain[] = [];
  try {
    for (const [i, name] of names.entries()) {
      const file = await readFile(join(root, 'config', `${name}.yaml`), 'utf8');
      const raw = retarget(parseYaml(file), urls) as RawConfig;
      const { listen: _listen, database: _database, ...config } = raw;
      started.push(
        await startBrokerDomain({
          issuerPort: ports[i],
          configOverrides: deepMerge(config, options.overrides?.[name] ?? {}),
        }),
      );
    }
  } catch (error) {
    await Promise.all(started.map((domain) => domain.close()));
    throw error;
  }
  const [a, b, c] = started as [BrokerDomain, BrokerDomain, BrokerDomain];
  return {
    domains: { a, b, c },
    agentPrivateJwk: await readAgentPrivateJwk(root),
    urls,
    close: async () => {
      await Promise.all(started.map((domain) => domain.close()));
    },
  };
}

/** Every string equal to a demo URL becomes the test URL; everything else is kept. */
export function retarget(value: unknown, urls: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    return urls.get(value) ?? value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => retarget(item, urls));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, retarget(item, urls)]),
    );
  }
  return value;
}
