import type { ExitCode } from './exit-codes.js';

/** A failure the CLI reports in one line and turns into an exit status. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';

  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}
