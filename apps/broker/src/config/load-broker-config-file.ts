import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { BrokerConfig } from './broker-config.js';
import { ConfigError } from './config-error.js';
import { parseBrokerConfig } from './parse-broker-config.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Read a YAML or JSON configuration file (YAML is a superset of JSON) and validate it.
 * @throws ConfigError naming the file when it cannot be read or parsed, or any field is bad.
 */
export function loadBrokerConfigFile(path: string, env: Env): BrokerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError(path, [{ path: '', message: `cannot be read (${code})` }]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : 'syntax error';
    throw new ConfigError(path, [{ path: '', message: `is not valid YAML or JSON: ${detail}` }]);
  }
  return parseBrokerConfig(raw, { source: path, env });
}

/**
 * The configuration file named on the command line (`--config <file>` or `--config=<file>`),
 * else by `BATON_CONFIG`.
 * @throws ConfigError when neither names a file.
 */
export function resolveConfigPath(argv: readonly string[], env: Env): string {
  for (const [index, arg] of argv.entries()) {
    if (arg === '--config' && argv[index + 1] !== undefined) {
      return argv[index + 1];
    }
    if (arg.startsWith('--config=')) {
      return arg.slice('--config='.length);
    }
  }
  const fromEnv = env['BATON_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv;
  }
  throw new ConfigError('baton broker', [
    { path: '', message: 'needs a configuration file: pass --config <file> or set BATON_CONFIG' },
  ]);
}
