/** One problem of a configuration value: where (`issuers[1].issuer`) and what. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** A non-empty list of distinct members of `allowed`; else the problem. */
export function listOfProblem(value: unknown, allowed: readonly string[]): string | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    return `must be a non-empty list of ${allowed.join(', ')}`;
  }
  if (!value.every((item) => typeof item === 'string' && allowed.includes(item))) {
    return `must be among ${allowed.join(', ')}`;
  }
  return new Set(value).size === value.length ? undefined : 'must not repeat a value';
}

/** Members of `value` not in `known`, each as a problem under `path`. */
export function unknownFieldProblems(
  value: Record<string, unknown>,
  known: readonly string[],
  path: string,
): ConfigProblem[] {
  return Object.keys(value)
    .filter((name) => !known.includes(name))
    .map((name) => ({
      path: path === '' ? name : `${path}.${name}`,
      message: 'is not a known field',
    }));
}
