import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** Where the Prometheus exposition is served. */
export const METRICS_PATH = '/metrics';

/**
 * Serves `registry` in the Prometheus text format at `GET /metrics` on its own listener, apart
 * from the public API: an operator binds it to a private interface and exposes nothing else
 * there. Resolves once listening; rejects when the port cannot be bound (EADDRINUSE).
 */
export async function startMetricsServer(
  registry: Registry,
  listen: { readonly host: string; readonly port: number },
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (req.method !== 'GET' || path !== METRICS_PATH) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body),
      () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Close a metrics listener, dropping idle keep-alive connections. */
export function stopMetricsServer(server: Server): Promise<void> {
  server.closeIdleConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
