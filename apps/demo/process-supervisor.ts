import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { DemoProcess } from './demo-process.js';

const STOP_GRACE_MS = 5000;

/** Starts child processes, prefixes their output, waits for readiness, and stops them all. */
export class ProcessSupervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(
    private readonly root: string,
    private readonly log: (line: string) => void,
    private readonly onUnexpectedExit: (name: string, code: number | null) => void,
  ) {}

  start(definition: DemoProcess): void {
    const child = spawn(definition.command, [...definition.args], {
      cwd: this.root,
      env: { ...process.env, ...definition.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.set(definition.name, child);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) =>
        this.log(`[${definition.name}] ${line}`),
      );
    }
    child.on('exit', (code) => {
      this.children.delete(definition.name);
      if (!this.stopping) {
        this.onUnexpectedExit(definition.name, code);
      }
    });
  }

  /** Poll `url` until it answers 200. */
  async waitReady(definition: DemoProcess, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.children.has(definition.name)) {
        throw new Error(`${definition.name} exited before it was ready`);
      }
      try {
        const response = await fetch(definition.readyUrl, { signal: AbortSignal.timeout(1000) });
        if (response.ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(
      `${definition.name} was not ready at ${definition.readyUrl} within ${timeoutMs / 1000}s`,
    );
  }

  /** SIGTERM every child, SIGKILL what is left after a grace period. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const exits = [...this.children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          child.once('exit', () => (clearTimeout(timer), resolve()));
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  }
}
