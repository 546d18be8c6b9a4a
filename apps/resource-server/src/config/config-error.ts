/** One problem in the configuration: the field's path (`trustedIssuers[1].issuer`) and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** A configuration that cannot be used; the message lists every bad field, one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      issues
        .map((i) =>
          i.path === '' ? `${source}: ${i.message}` : `${source}: ${i.path} ${i.message}`,
        )
        .join('\n'),
    );
  }
}
