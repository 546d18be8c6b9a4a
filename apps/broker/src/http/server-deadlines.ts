import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { HttpConfig } from '../config/broker-config.js';

const TIMEOUT_BODY = JSON.stringify({
  error: 'invalid_request',
  error_description: 'the request was not received in time',
});

/**
 * Deadlines for slow clients on the broker's HTTP server. Node's own `headersTimeout` and
 * `requestTimeout` are checked only every 30 s (`connectionsCheckingInterval`), so each request
 * also gets a timer of its own: a body still incomplete after `requestTimeoutMs` is answered 408
 * (RFC 9110 §15.5.9) in the protocol's JSON and its connection closed. Idle keep-alive
 * connections close after `keepAliveTimeoutMs`.
 */
export function applyServerDeadlines(server: Server, http: HttpConfig): void {
  server.headersTimeout = http.headersTimeoutMs;
  server.requestTimeout = http.requestTimeoutMs;
  server.keepAliveTimeout = http.keepAliveTimeoutMs;
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const timer = setTimeout(() => cutSlowRequest(request, response), http.requestTimeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    request.once('end', clear);
    response.once('close', clear);
  });
}

function cutSlowRequest(request: IncomingMessage, response: ServerResponse): void {
  if (request.complete) {
    return;
  }
  if (!response.headersSent) {
    response.writeHead(408, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      connection: 'close',
    });
    response.end(TIMEOUT_BODY);
  }
  request.socket.destroySoon();
  setTimeout(() => request.socket.destroy(), 1000).unref();
}
