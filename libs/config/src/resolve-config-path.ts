import { ConfigError } from './config-error.js';

export interface ResolveConfigPathOptions {
  /** The environment variable naming the file when the command line does not (`BATON_CONFIG`). */
  readonly envVar: string;
  /** Who needs the file, the source of the error when none is named (`baton broker`). */
  readonly label: string;
}

/**
 * The configuration file named on the command line (`--config <file>` or `--config=<file>`),
 * else by the environment variable `options.envVar`. Does not check that the file exists.
 *
 * @example
 * resolveConfigPath(process.argv.slice(2), process.env, { envVar: 'BATON_CONFIG', label: 'baton broker' });
 * @throws ConfigError when neither names a file.
 */
export function resolveConfigPath(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  options: ResolveConfigPathOptions,
): string {
  for (const [index, arg] of argv.entries()) {
    if (arg === '--config' && argv[index + 1] !== undefined) {
      return argv[index + 1];
    }
    if (arg.startsWith('--config=')) {
      return arg.slice('--config='.length);
    }
  }
  const fromEnv = env[options.envVar];
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv;
  }
  throw new ConfigError(options.label, [
    {
      path: '',
      message: `needs a configuration file: pass --config <file> or set ${options.envVar}`,
    },
  ]);
}
