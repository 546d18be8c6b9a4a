import { text } from 'node:stream/consumers';

/** Where the CLI reads and writes; a process in production, anything in embedding code. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

export function processIo(): CliIo {
  return {
    stdout: (output) => void process.stdout.write(output),
    stderr: (output) => void process.stderr.write(output),
    readStdin: () => text(process.stdin),
  };
}
