import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { parse as parseYaml } from 'yaml';
import type { INestApplication } from '@nestjs/common';
import { readAgentPrivateJwk } from '../../apps/demo/manifest-sources.js';
import { createResourceServerApp } from '../../apps/resource-server/src/bootstrap.js';
import { parseResourceServerConfig } from '../../apps/resource-server/src/config/parse-resource-server-config.js';
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

/** The demo partner API's URL as written in config/resource-server.yaml. */
export const DEMO_PARTNER_API = 'http://127.0.0.1:4004';

export type DemoDomainName = keyof typeof DEMO_ISSUERS;

export interface DemoFederation {
  readonly domains: Readonly<Record<DemoDomainName, BrokerDomain>>;
  /** The demo agent's private JWK (config/demo-keys), registered as `agent` at A and B. */
  readonly agentPrivateJwk: JWK;
  /** The demo URL → the URL of this federation, for rewriting demo config or examples. */
  readonly urls: ReadonlyMap<string, string>;
  /** The partner API's base URL, when it was started. */
  readonly partnerApi?: string;
  close(): Promise<void>;
}

export interface StartDemoFederationOptions {
  /** Merged over a domain's demo config (after its URLs are rewritten). */
  readonly overrides?: Partial<Record<DemoDomainName, RawConfig>>;
  /** Also start domain C's partner API from config/resource-server.yaml. Default false. */
  readonly partnerApi?: boolean;
}

/**
 * The demo's three broker domains (config/a.yaml, b.yaml, c.yaml) in this process on free
 * loopback ports, each demo URL in their configs replaced by the test URL; the demo agent key
 * comes from config/demo-keys. The partner API runs only when asked for.
 */
export async function startDemoFederation(
  options: StartDemoFederationOptions = {},
): Promise<DemoFederation> {
  const root = process.cwd();
  const ports = await Promise.all([getFreePort(), getFreePort(), getFreePort(), getFreePort()]);
  const names = Object.keys(DEMO_ISSUERS) as DemoDomainName[];
  const urls = new Map<string, string>(
    names.map((name, i) => [DEMO_ISSUERS[name], `http://127.0.0.1:${ports[i]}`]),
  );
  urls.set(DEMO_PARTNER_API, `http://127.0.0.1:${ports[3]}`);
  const started: BrokerDomain[] = [];
  let partnerApi: INestApplication | undefined;
  const close = async (): Promise<void> => {
    await partnerApi?.close();
    await Promise.all(started.map((domain) => domain.close()));
  };
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
    if (options.partnerApi === true) {
      partnerApi = await startPartnerApi(root, urls, ports[3]);
    }
  } catch (error) {
    await close();
    throw error;
  }
  const [a, b, c] = started as [BrokerDomain, BrokerDomain, BrokerDomain];
  return {
    domains: { a, b, c },
    agentPrivateJwk: await readAgentPrivateJwk(root),
    urls,
    ...(partnerApi === undefined ? {} : { partnerApi: urls.get(DEMO_PARTNER_API) }),
    close,
  };
}

async function startPartnerApi(
  root: string,
  urls: ReadonlyMap<string, string>,
  port: number,
): Promise<INestApplication> {
  const file = await readFile(join(root, 'config', 'resource-server.yaml'), 'utf8');
  const raw = retarget(parseYaml(file), urls) as RawConfig;
  const config = parseResourceServerConfig(
    { ...raw, listen: { host: '127.0.0.1', port } },
    'demo partner API',
  );
  const app = await createResourceServerApp(config, { logger: false });
  await app.listen(port, '127.0.0.1');
  return app;
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
