import { isObject, type JsonObject } from './json.js';

export interface FetchJsonOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  maxBytes: number;
}

/**
 * GETs a JSON object with a deadline and a body size cap. Redirects are refused so a trusted
 * URL cannot bounce the verifier somewhere else. Throws a plain Error; callers wrap it.
 */
export async function fetchJsonObject(url: string, options: FetchJsonOptions): Promise<JsonObject> {
  const value: unknown = JSON.parse(await fetchCappedText(url, 'application/json', options));
  if (!isObject(value)) {
    throw new Error('response is not a JSON object');
  }
  return value;
}

/** GETs a 200 response body as text under the same deadline, size cap and no-redirect rule. */
export async function fetchCappedText(
  url: string,
  accept: string,
  options: FetchJsonOptions,
): Promise<string> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const response = await options.fetch(url, {
    method: 'GET',
    headers: { accept },
    redirect: 'error',
    signal,
  });
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`unexpected HTTP status ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error('response too large');
  }
  return readCapped(response, options.maxBytes);
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (response.body === null) {
    return '';
  }
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error('response too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
