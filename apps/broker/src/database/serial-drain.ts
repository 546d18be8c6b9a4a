/**
 * Runs `step` again and again while `hasWork()` holds, one step at a time, and stops when there
 * is none: the loop behind group commit and coalesced look-ups. `kick()` after queueing work
 * starts it if it is not running; work queued while a step runs is taken by a later step.
 * `step` must settle whatever it takes (it never rejects).
 */
export class SerialDrain {
  private running = false;

  constructor(
    private readonly hasWork: () => boolean,
    private readonly step: () => Promise<void>,
  ) {}

  kick(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      while (this.hasWork()) {
        await this.step();
      }
    } finally {
      // No await between the last hasWork() and here: nothing queued in between is left behind.
      this.running = false;
    }
  }
}
