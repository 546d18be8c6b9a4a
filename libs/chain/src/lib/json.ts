/** Small shape guards for decoded JSON; no recursion, so hostile nesting cannot exhaust the stack. */
import { MAX_NUMERIC_DATE } from '../protocol/index.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNonEmptyString(value: unknown, maxLength = 4096): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength;
}

/** An integer NumericDate (RFC 7519 §2) no later than MAX_NUMERIC_DATE, so it always renders as a date. */
export function isNumericDate(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= 0 &&
    value <= MAX_NUMERIC_DATE
  );
}

/** True when `value` is an object whose members are exactly `names` (each present). */
export function hasExactly(value: JsonObject, names: readonly string[]): boolean {
  const keys = Object.keys(value);
  return keys.length === names.length && names.every((name) => Object.hasOwn(value, name));
}

/** True when `value` nests objects/arrays deeper than `limit` levels (iterative walk). */
export function exceedsDepth(value: unknown, limit: number): boolean {
  // Only objects and arrays go on the stack, each with its depth alongside.
  const objects: object[] = [];
  const depths: number[] = [];
  if (typeof value === 'object' && value !== null) {
    objects.push(value);
    depths.push(1);
  }
  while (objects.length > 0) {
    const current = objects.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) {
      return true;
    }
    for (const child of Object.values(current) as unknown[]) {
      if (typeof child === 'object' && child !== null) {
        objects.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** Space-separated scope string to a de-duplicated list (RFC 6749 §3.3). */
export function parseScope(scope: string): string[] {
  return [...new Set(scope.split(' ').filter((s) => s.length > 0))];
}

/** Freezes `value` and every object in it, iteratively (hostile JSON may nest deeply). */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === 'object' && current !== null && !Object.isFrozen(current)) {
      Object.freeze(current);
      for (const child of Object.values(current)) {
        pending.push(child);
      }
    }
  }
  return value;
}

/** A deep copy of decoded JSON whose nesting was bounded when it was parsed. */
export function copyJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(copyJson) as T;
  }
  const copy: JsonObject = {};
  for (const name of Object.keys(value)) {
    copy[name] = copyJson((value as JsonObject)[name]);
  }
  return copy as T;
}
