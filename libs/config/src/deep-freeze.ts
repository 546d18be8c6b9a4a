/**
 * Freeze a shaped configuration object and everything reachable from it (Buffers excepted:
 * they cannot be frozen), so no part of the application can change it after start-up.
 */
export function deepFreeze<T>(value: T): T {
  if (
    typeof value === 'object' &&
    value !== null &&
    !Buffer.isBuffer(value) &&
    !Object.isFrozen(value)
  ) {
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
    Object.freeze(value);
  }
  return value;
}
