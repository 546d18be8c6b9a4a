import { BoundedMap } from './bounded-map.js';

/** Recent results by input (null: not an http(s) URL); a hop's htu is its issuer's token endpoint. */
const recent = new BoundedMap<string, string | null>(1024);
const MAX_REMEMBERED_LENGTH = 512;

/**
 * Normalises an HTTP target URI for DPoP comparison: RFC 9449 §4.3 step 9 compares without query
 * and fragment after RFC 3986 §6.2.2 syntax-based and §6.2.3 scheme-based normalisation (case of
 * scheme and host, default port, dot segments, empty path) — all of which WHATWG `URL` performs.
 * Returns undefined when the value is not an absolute http(s) URL.
 */
export function normalizeHtu(value: string): string | undefined {
  if (value.length > MAX_REMEMBERED_LENGTH) {
    return normalize(value);
  }
  let normalized = recent.get(value);
  if (normalized === undefined) {
    normalized = normalize(value) ?? null;
    recent.set(value, normalized);
  }
  return normalized ?? undefined;
}

function normalize(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return undefined;
  }
  url.search = '';
  url.hash = '';
  return url.href;
}
