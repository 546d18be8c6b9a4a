import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';
import { parseResourceServerConfig } from './parse-resource-server-config.js';
import type { ResourceServerConfig } from './resource-server-config.js';

/**
 * Reads a YAML or JSON configuration file and validates it.
 * @throws ConfigError naming the file when it cannot be read or parsed, or any field is bad.
 */
export function loadResourceServerConfigFile(path: string): ResourceServerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError(path, [{ path: '', message: `cannot be read (${code})` }]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : 'syntax error';
    throw new ConfigError(path, [{ path: '', message: `is not valid YAML or JSON: ${detail}` }]);
  }
  return parseResourceServerConfig(raw, path);
}

/** The file named by `--config <file>` / `--config=<file>`, else `BATON_RESOURCE_SERVER_CONFIG`. */
export function resolveConfigPath(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string {
  for (const [index, arg] of argv.entries()) {
    if (arg === '--config' && argv[index + 1] !== undefined) {
      return argv[index + 1];
    }
    if (arg.startsWith('--config=')) {
      return arg.slice('--config='.length);
    }
  }
  const fromEnv = env['BATON_RESOURCE_SERVER_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv;
  }
  throw new ConfigError('baton resource server', [
    {
      path: '',
      message:
        'needs a configuration file: pass --config <file> or set BATON_RESOURCE_SERVER_CONFIG',
    },
  ]);
}
