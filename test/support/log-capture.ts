import type { DestinationStream } from 'pino';

/** One parsed JSON log line. */
export type LogRecord = Record<string, unknown> & { level?: string; msg?: string };

/**
 * A test's log destination: every JSON line an app writes is kept in memory for the test to
 * assert on (and grep for secrets), instead of going to the runner's output, where expected
 * refusals and provoked faults would look like failures. `BATON_TEST_LOGS=1` also echoes each
 * line to standard error, for debugging a test.
 */
export class LogCapture implements DestinationStream {
  readonly lines: string[] = [];
  readonly #echo = process.env.BATON_TEST_LOGS === '1';

  write(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line !== '') {
        this.lines.push(line);
        if (this.#echo) {
          process.stderr.write(`${line}\n`);
        }
      }
    }
  }

  records(): LogRecord[] {
    return this.lines.map((line) => JSON.parse(line) as LogRecord);
  }

  clear(): void {
    this.lines.length = 0;
  }
}

/** Where test apps log unless a test passes its own capture: one per test file's process. */
export const testLogs = new LogCapture();
