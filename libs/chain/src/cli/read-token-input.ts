import { readFile } from 'node:fs/promises';
import { CliFailure } from './cli-failure.js';
import type { CliIo } from './cli-io.js';
import { EXIT_MALFORMED } from './exit-codes.js';

const MAX_INPUT_BYTES = 1024 * 1024;

/**
 * The compact token named on the command line: the argument itself, `@path` for a file, or `-`
 * for standard input. Surrounding whitespace is dropped; nothing is decoded here.
 */
export async function readTokenInput(argument: string, io: CliIo): Promise<string> {
  const raw = await readSource(argument, io);
  if (raw.length > MAX_INPUT_BYTES) {
    throw new CliFailure(EXIT_MALFORMED, `token input is larger than ${MAX_INPUT_BYTES} bytes`);
  }
  const token = raw.trim();
  if (token === '') {
    throw new CliFailure(EXIT_MALFORMED, 'token input is empty');
  }
  return token;
}

async function readSource(argument: string, io: CliIo): Promise<string> {
  if (argument === '-') {
    return io.readStdin();
  }
  if (argument.startsWith('@')) {
    const path = argument.slice(1);
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new CliFailure(EXIT_MALFORMED, `cannot read token file ${path} (${code})`);
    }
  }
  return argument;
}
