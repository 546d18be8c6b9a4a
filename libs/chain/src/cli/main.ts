import { readFileSync } from 'node:fs';
import { CliFailure } from './cli-failure.js';
import { processIo, type CliIo } from './cli-io.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, type ExitCode } from './exit-codes.js';
import { printable } from './render-text.js';
import { runInspect } from './run-inspect.js';
import { runTrace } from './run-trace.js';
import { runVerify } from './run-verify.js';
import { INSPECT_USAGE, MAIN_USAGE, TRACE_USAGE, VERIFY_USAGE } from './usage.js';

type Command = (args: readonly string[], io: CliIo) => Promise<ExitCode>;

const COMMANDS: Readonly<Record<string, Command>> = {
  inspect: runInspect,
  verify: runVerify,
  trace: runTrace,
};
const COMMAND_USAGE: Readonly<Record<string, string>> = {
  inspect: INSPECT_USAGE,
  verify: VERIFY_USAGE,
  trace: TRACE_USAGE,
};

/**
 * The `baton` auditor CLI: `inspect` draws a chain without verifying it, `verify` checks every
 * invariant against a trust file, `trace` asks the auditor APIs of several domains for the tree. Returns the exit status (docs/cli.md); never calls process.exit.
 *
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const [command, ...rest] = argv;
  try {
    return await dispatch(command, rest, io);
  } catch (error) {
    if (error instanceof CliFailure) {
      io.stderr(`baton: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`baton: internal error: ${printable(message)}\n`);
    return EXIT_INTERNAL;
  }
}

async function dispatch(
  command: string | undefined,
  rest: readonly string[],
  io: CliIo,
): Promise<ExitCode> {
  if (command === undefined || command === '--help' || command === '-h') {
    io.stdout(MAIN_USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${version()}\n`);
    return EXIT_OK;
  }
  if (command === 'help') {
    const topic = rest[0];
    io.stdout(topic === undefined ? MAIN_USAGE : (COMMAND_USAGE[topic] ?? MAIN_USAGE));
    return topic === undefined || topic in COMMAND_USAGE ? EXIT_OK : EXIT_USAGE;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) {
    throw new CliFailure(
      EXIT_USAGE,
      `unknown command ${printable(command)}\n\n${MAIN_USAGE.trimEnd()}`,
    );
  }
  return run(rest, io);
}

function version(): string {
  const manifest = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as {
    version?: string;
  };
  return `baton ${manifest.version ?? 'unknown'}`;
}
