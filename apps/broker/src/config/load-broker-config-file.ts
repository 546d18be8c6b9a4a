import { readConfigFile, type ResolveConfigPathOptions } from '@baton/config';
import type { BrokerConfig } from './broker-config.js';
import { parseBrokerConfig } from './parse-broker-config.js';

/** Where the broker finds its file: `--config <file>`, else `BATON_CONFIG`. */
export const BROKER_CONFIG_PATH: ResolveConfigPathOptions = {
  envVar: 'BATON_CONFIG',
  label: 'baton broker',
};

/**
 * Read a YAML or JSON configuration file and validate it.
 * @throws ConfigError naming the file when it cannot be read or parsed, or any field is bad.
 */
export function loadBrokerConfigFile(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): BrokerConfig {
  return parseBrokerConfig(readConfigFile(path), { source: path, env });
}
