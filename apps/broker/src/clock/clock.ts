/**
 * The broker's one clock, injectable so tests drive rotation and expiry without sleeping.
 * Milliseconds inside (key rotation schedules); every protocol value, row and comparison uses
 * {@link epochSeconds} — integer seconds, as JWT NumericDate claims are.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Dependency-injection token of the {@link Clock} (provided globally by AppModule). */
export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => Date.now() };

/** Whole seconds since the epoch, as JWT NumericDate claims use (RFC 7519 §2). */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
