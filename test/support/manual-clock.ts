import type { Clock } from '../../apps/broker/src/clock/clock.js';

/** A clock that moves only when told to: rotation and expiry without sleeping. */
export class ManualClock implements Clock {
  private current: number;

  constructor(startMs: number = Date.now()) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Move forward by `seconds`. */
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }

  /** Current time in epoch seconds. */
  seconds(): number {
    return Math.floor(this.current / 1000);
  }
}
