import { readConfigFile, type ResolveConfigPathOptions } from '@baton/config';
import { parseResourceServerConfig } from './parse-resource-server-config.js';
import type { ResourceServerConfig } from './resource-server-config.js';

/** Where the resource server finds its file: `--config <file>`, else `BATON_RESOURCE_SERVER_CONFIG`. */
export const RESOURCE_SERVER_CONFIG_PATH: ResolveConfigPathOptions = {
  envVar: 'BATON_RESOURCE_SERVER_CONFIG',
  label: 'baton resource server',
};

/**
 * Read a YAML or JSON configuration file and validate it.
 * @throws ConfigError naming the file when it cannot be read or parsed, or any field is bad.
 */
export function loadResourceServerConfigFile(path: string): ResourceServerConfig {
  return parseResourceServerConfig(readConfigFile(path), path);
}
