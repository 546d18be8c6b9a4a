import type { IncomingHttpHeaders } from 'node:http';

/** The slice of Fastify's request the broker's endpoints read. */
export interface HttpRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** Set by a content-type parser (bootstrap's form parser, Fastify's JSON); undefined without a body. */
  readonly body?: unknown;
}

/** The slice of Fastify's reply the broker's endpoints and the error filter write. */
export interface HttpResponse {
  /** True once the answer has been sent. */
  readonly sent: boolean;
  status(code: number): this;
  header(name: string, value: string): this;
  /** An object is sent as JSON. */
  send(body: unknown): this;
  /** Node's response underneath: its headers may be out (a 408 from the deadline timer). */
  readonly raw: { readonly headersSent: boolean; end(): void };
}
