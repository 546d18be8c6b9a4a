import type { IncomingHttpHeaders } from 'node:http';

/** The slice of Express's request the token endpoint reads (@types/express is not installed). */
export interface HttpRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** Set by the urlencoded body parser; undefined or `{}` when no parser matched. */
  readonly body?: unknown;
  is(type: string): string | false | null;
}

/** The slice of Express's response the token endpoint and the error filter write. */
export interface HttpResponse {
  readonly headersSent: boolean;
  status(code: number): this;
  setHeader(name: string, value: string): this;
  json(body: unknown): this;
  end(): this;
}
