/** Small shape guards for decoded JSON; no recursion, so hostile nesting cannot exhaust the stack. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNonEmptyString(value: unknown, maxLength = 4096): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength;
}

export function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** True when `value` nests objects/arrays deeper than `limit` levels (iterative walk). */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) {
      continue;
    }
    if (depth > limit) {
      return true;
    }
    for (const child of Object.values(current)) {
      stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Space-separated scope string to a de-duplicated list (RFC 6749 §3.3). */
export function parseScope(scope: string): string[] {
  return [...new Set(scope.split(' ').filter((s) => s.length > 0))];
}
