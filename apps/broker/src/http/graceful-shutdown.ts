import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';

/**
 * Close the app gracefully, in bounded time: the listener stops accepting, requests in flight
 * finish (their transactions commit before the database closes: Nest closes the HTTP server
 * before the shutdown hooks that close TypeORM), idle connections close; whatever is still open
 * after `timeoutMs` is cut so the close completes.
 */
export async function closeGracefully(app: INestApplication, timeoutMs: number): Promise<void> {
  const server = app.getHttpServer() as Server;
  const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * On SIGTERM or SIGINT: {@link closeGracefully}, then exit 0; if even that has not finished a few
 * seconds after the deadline, exit 1. Replaces Nest's `enableShutdownHooks()`, which waits forever.
 */
export function exitGracefullyOnSignals(
  app: INestApplication,
  timeoutMs: number,
  log: (line: string) => void,
): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      return;
    }
    closing = true;
    log(`baton broker: ${signal}: finishing requests in flight (at most ${timeoutMs} ms)`);
    setTimeout(() => process.exit(1), timeoutMs + 5000).unref();
    closeGracefully(app, timeoutMs).then(
      () => process.exit(0),
      (error: unknown) => {
        log(
          `baton broker: shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
