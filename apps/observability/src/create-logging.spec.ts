import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogging, type Logging } from './create-logging.js';
import type { LogLevelName } from './log-levels.js';

interface Line {
  level: string;
  msg: string;
  service?: string;
  reqId?: string;
  req?: { method: string; path: string };
  res?: { statusCode: number };
  responseTime?: number;
  err?: { message: string };
  context?: string;
}

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A loopback server whose requests go through `logging.middleware`, then `handle`. */
async function serve(
  logging: Logging,
  handle: (status: (code: number) => void) => void,
): Promise<string> {
  server = createServer((req, res) =>
    logging.middleware(req, res, () =>
      handle((code) => {
        res.statusCode = code;
        res.end('{}');
      }),
    ),
  );
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function setUp(quietPaths: string[] = [], level: LogLevelName = 'info') {
  const lines: Line[] = [];
  const logging = createLogging({
    service: 'baton-test',
    level,
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Line) },
    quietPaths,
  });
  Logger.overrideLogger(logging.nest);
  return { lines, logging };
}

/** Lines are written when the response has finished: wait for the one expected. */
async function until(lines: Line[], count: number): Promise<Line[]> {
  for (let i = 0; i < 100 && lines.length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return lines;
}

describe('createLogging', () => {
  it('writes one access line per request: request id, method, path without query, status, time', async () => {
    const { lines, logging } = setUp();
    const url = await serve(logging, (status) => status(200));
    const res = await fetch(`${url}/token?secret=1`, { headers: { 'x-request-id': 'abc-1' } });
    expect(res.headers.get('x-request-id')).toBe('abc-1');
    const [line] = await until(lines, 1);
    expect(line).toMatchObject({
      level: 'info',
      service: 'baton-test',
      reqId: 'abc-1',
      req: { method: 'GET', path: '/token' },
      res: { statusCode: 200 },
      msg: 'request completed',
    });
    expect(line.responseTime).toEqual(expect.any(Number));
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('answers a fresh id for a hostile X-Request-Id, and logs a 5xx as an error', async () => {
    const { lines, logging } = setUp();
    const url = await serve(logging, (status) => status(503));
    const res = await fetch(url, { headers: { 'x-request-id': 'a"b' } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [line] = await until(lines, 1);
    expect(line).toMatchObject({
      level: 'error',
      reqId: id,
      res: { statusCode: 503 },
      msg: 'request failed',
      err: { message: 'failed with status code 503' },
    });
  });

  it('gives lines logged inside the request its id, making its logger once and only when used', async () => {
    const { lines, logging } = setUp(['/quiet']);
    const child = vi.spyOn(logging.root, 'child');
    const url = await serve(logging, (status) => {
      new Logger('Inside').log('first');
      new Logger('Inside').warn('second');
      status(200);
    });
    await fetch(`${url}/quiet`, { headers: { 'x-request-id': 'in-1' } });
    await until(lines, 2);
    expect(lines.map((l) => [l.msg, l.reqId, l.context])).toEqual([
      ['first', 'in-1', 'Inside'],
      ['second', 'in-1', 'Inside'],
    ]);
    expect(child).toHaveBeenCalledTimes(1);

    child.mockClear();
    lines.length = 0;
    const quietUrl = await serve(logging, (status) => status(204));
    await fetch(`${quietUrl}/quiet`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toEqual([]);
    expect(child).not.toHaveBeenCalled();
  });

  it('makes no request logger for lines below the level, and still writes those at or above it', async () => {
    const { lines, logging } = setUp(['/quiet'], 'warn');
    const child = vi.spyOn(logging.root, 'child');
    const url = await serve(logging, (status) => {
      new Logger('Inside').verbose('trace line');
      new Logger('Inside').debug('debug line');
      new Logger('Inside').log('info line');
      status(200);
    });
    await fetch(`${url}/quiet`, { headers: { 'x-request-id': 'below-1' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toEqual([]);
    expect(child).not.toHaveBeenCalled();

    const loudUrl = await serve(logging, (status) => {
      new Logger('Inside').warn('warn line');
      new Logger('Inside').error('error line');
      new Logger('Inside').fatal('fatal line');
      status(200);
    });
    await fetch(`${loudUrl}/quiet`, { headers: { 'x-request-id': 'above-1' } });
    await until(lines, 3);
    expect(lines.map((l) => [l.level, l.msg, l.reqId, l.context])).toEqual([
      ['warn', 'warn line', 'above-1', 'Inside'],
      ['error', 'error line', 'above-1', 'Inside'],
      ['fatal', 'fatal line', 'above-1', 'Inside'],
    ]);
    expect(child).toHaveBeenCalledTimes(1);
  });

  it('resume re-enters the request context outside it', async () => {
    const { lines, logging } = setUp(['/quiet']);
    server = createServer((req, res) => {
      logging.middleware(req, res, () => undefined);
      // Outside the middleware's context, as Fastify's body reading is.
      setImmediate(() =>
        logging.resume(req, () => {
          new Logger('Body').log('after the body');
          res.end();
        }),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/quiet`;
    await fetch(url, { headers: { 'x-request-id': 'body-1' } });
    const [line] = await until(lines, 1);
    expect(line).toMatchObject({ msg: 'after the body', reqId: 'body-1', context: 'Body' });
  });
});
