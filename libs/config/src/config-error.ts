/** One problem in a configuration file: the field's path (`peers[1].issuer`) and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A configuration file that cannot be used. The message names the file and every bad field,
 * one per line (`config/a.yaml: peers[1].issuer must be an https URL`), so a start-up
 * failure is fixed in one round.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((issue) => formatIssue(source, issue)).join('\n'));
  }
}

export function formatIssue(source: string, issue: ConfigIssue): string {
  return issue.path === ''
    ? `${source}: ${issue.message}`
    : `${source}: ${issue.path} ${issue.message}`;
}
