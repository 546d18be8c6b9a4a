/** Exit statuses of the `baton` CLI (docs/cli.md). */
export const EXIT_OK = 0;
/** `verify`: the chain was read and at least one invariant failed. */
export const EXIT_INVALID = 1;
/** Bad command line, or a trust file that cannot be used. */
export const EXIT_USAGE = 2;
/** The token input is missing, unreadable, or not a Baton token at all. */
export const EXIT_MALFORMED = 3;
/** A bug: anything the CLI did not expect (BSD sysexits EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;

export type ExitCode =
  | typeof EXIT_OK
  | typeof EXIT_INVALID
  | typeof EXIT_USAGE
  | typeof EXIT_MALFORMED
  | typeof EXIT_INTERNAL;
