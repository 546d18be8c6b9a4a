import { CliFailure } from './cli-failure.js';
import { EXIT_USAGE } from './exit-codes.js';

interface Parsed<V> {
  values: V;
  positionals: string[];
}

/**
 * Run a node:util parseArgs call and require exactly one positional (the token input) unless
 * `--help` was given; any parse problem becomes a usage failure naming the command's usage.
 */
export function parseCommandLine<V extends { help?: boolean | undefined }>(
  parse: () => Parsed<V>,
  usage: string,
): { values: V; token: string } {
  let parsed: Parsed<V>;
  try {
    parsed = parse();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliFailure(EXIT_USAGE, `${message}\n\n${usage.trimEnd()}`);
  }
  if (parsed.values.help === true) {
    return { values: parsed.values, token: '' };
  }
  const [token, ...extra] = parsed.positionals;
  if (token === undefined || extra.length > 0) {
    const problem =
      token === undefined
        ? 'missing the token (an argument, @file or -)'
        : 'expects exactly one token';
    throw new CliFailure(EXIT_USAGE, `${problem}\n\n${usage.trimEnd()}`);
  }
  return { values: parsed.values, token };
}
