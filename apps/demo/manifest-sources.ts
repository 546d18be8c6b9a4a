import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { JWK } from 'jose';
import { loadBrokerConfigFile } from '../broker/src/config/load-broker-config-file.js';
import { loadResourceServerConfigFile } from '../resource-server/src/config/load-resource-server-config-file.js';
import { DEMO_DOMAINS, RESOURCE_SERVER_CONFIG_FILE } from './demo-processes.js';
import { publicJwkOf } from './agent-journey.js';
import type { ManifestSources } from './manifest.js';

/** The demo agent's private key (DEMO ONLY), relative to the repository root. */
export const AGENT_KEY_FILE = 'config/demo-keys/agent.private.jwk.json';

/** The agent's private JWK as stored in `file` (relative to `root`). */
export async function readAgentPrivateJwk(
  root: string,
  file: string = AGENT_KEY_FILE,
): Promise<JWK> {
  return JSON.parse(await readFile(join(root, file), 'utf8')) as JWK;
}

/** The demo's config files (config/a.yaml …, config/resource-server.yaml) and the agent key. */
export async function loadDemoManifestSources(root: string): Promise<ManifestSources> {
  const domains = await Promise.all(
    DEMO_DOMAINS.map(async (name) => {
      const configFile = `config/${name}.yaml`;
      const raw: unknown = parseYaml(await readFile(join(root, configFile), 'utf8'));
      return { name, configFile, config: loadBrokerConfigFile(join(root, configFile), {}), raw };
    }),
  );
  return {
    domains,
    resourceServer: {
      configFile: RESOURCE_SERVER_CONFIG_FILE,
      config: loadResourceServerConfigFile(join(root, RESOURCE_SERVER_CONFIG_FILE)),
    },
    agentKeyFile: AGENT_KEY_FILE,
    agentPublicJwk: publicJwkOf(await readAgentPrivateJwk(root)),
  };
}
