import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';

/**
 * Read a YAML or JSON configuration file (YAML is a superset of JSON) into an unchecked value.
 * Duplicate keys are refused. Does not check what the file holds: pass the result to
 * {@link validateConfig}.
 *
 * @example
 * const raw = readConfigFile('config/a.yaml');
 * @throws ConfigError naming the file when it cannot be read or is not valid YAML or JSON.
 */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError(path, [{ path: '', message: `cannot be read (${code})` }]);
  }
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true }) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : 'syntax error';
    throw new ConfigError(path, [{ path: '', message: `is not valid YAML or JSON: ${detail}` }]);
  }
}
