import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PreparedRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  count: number;
  ok: number;
  seconds: number;
  /** Successful responses per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Status counts, and the first refusal body seen (to diagnose a broken phase). */
  statuses: Record<string, number>;
  firstRefusal?: string;
  /** Bodies of successful responses, in request order (when asked for). */
  bodies: (string | undefined)[];
}

/**
 * Sends prepared requests over `concurrency` keep-alive connections on loopback, each request
 * once, stopping early at `deadlineMs`: bounded in count and in time.
 */
export async function runLoad(
  requests: readonly PreparedRequest[],
  concurrency: number,
  options: { deadlineMs?: number; keepBodies?: boolean } = {},
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const bodies: (string | undefined)[] = [];
  let firstRefusal: string | undefined;
  let next = 0;
  const start = performance.now();
  const deadline = start + (options.deadlineMs ?? 120_000);
  const worker = async (): Promise<void> => {
    while (next < requests.length && performance.now() < deadline) {
      const index = next;
      next += 1;
      const sent = performance.now();
      const { status, body } = await send(agent, requests[index]);
      latencies.push(performance.now() - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) {
        if (options.keepBodies === true) {
          bodies[index] = body;
        }
      } else {
        firstRefusal ??= `${status} ${body.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const ok = Object.entries(statuses)
    .filter(([status]) => Number(status) >= 200 && Number(status) < 300)
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    count: latencies.length,
    ok,
    seconds,
    rps: ok / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    statuses,
    firstRefusal,
    bodies,
  };
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function send(agent: Agent, prepared: PreparedRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      prepared.url,
      { method: prepared.method, headers: prepared.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', () => resolve({ status: 0, body: 'response error' }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, body: error.message }));
    req.end(prepared.body);
  });
}
