/** One child process of the demo federation. */
export interface DemoProcess {
  /** Short label used to prefix its output (`a`, `b`, `c`, `rs`). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Every address it binds, checked free before the demo starts anything. */
  readonly listens: readonly { readonly host: string; readonly port: number }[];
  /** Polled until it answers 200; the process counts as ready then. */
  readonly readyUrl: string;
  /** What to print once it is ready (an issuer URL, an API URL). */
  readonly announce: string;
}

/** What a step after start-up gets: the running processes and where they live. */
export interface DemoContext {
  /** Repository root (the launcher's working directory for children). */
  readonly root: string;
  readonly processes: readonly DemoProcess[];
  /** Issuer URL of each demo broker by name: `{ a, b, c }`. */
  readonly issuers: Readonly<Record<string, string>>;
  readonly log: (line: string) => void;
}

/** Something the demo does once every process is ready (e.g. the agent's journey). */
export interface DemoStep {
  readonly name: string;
  run(context: DemoContext): Promise<void>;
}
