import { describe, expect, it } from 'vitest';
import { SerialDrain } from './serial-drain.js';

describe('SerialDrain', () => {
  it('runs one step at a time until no work is left, and takes work queued while a step runs', async () => {
    const queue: number[] = [];
    const taken: number[][] = [];
    const steps: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const drain = new SerialDrain(
      () => queue.length > 0,
      async () => {
        running += 1;
        most = Math.max(most, running);
        taken.push(queue.splice(0));
        await new Promise<void>((resolve) => steps.push(resolve));
        running -= 1;
      },
    );
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    queue.push(1);
    drain.kick();
    queue.push(2, 3);
    drain.kick();
    // The first kick ran a step at once; 2 and 3 wait for it to finish.
    expect(taken).toEqual([[1]]);
    steps.shift()!();
    await settle();
    expect(taken).toEqual([[1], [2, 3]]);
    queue.push(4);
    drain.kick();
    steps.shift()!();
    await settle();
    expect(taken).toEqual([[1], [2, 3], [4]]);
    steps.shift()!();
    await settle();
    expect(steps).toHaveLength(0);
    expect(most).toBe(1);
  });

  it('starts again when kicked after it stopped', async () => {
    const queue: string[] = [];
    const taken: string[] = [];
    const drain = new SerialDrain(
      () => queue.length > 0,
      () => {
        taken.push(...queue.splice(0));
        return Promise.resolve();
      },
    );
    queue.push('a');
    drain.kick();
    await new Promise((resolve) => setTimeout(resolve, 1));
    queue.push('b');
    drain.kick();
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(taken).toEqual(['a', 'b']);
  });
});
