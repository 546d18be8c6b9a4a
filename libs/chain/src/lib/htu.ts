/**
 * Normalises an HTTP target URI for DPoP comparison: RFC 9449 §4.3 step 9 compares without query
 * and fragment after RFC 3986 §6.2.2 syntax-based and §6.2.3 scheme-based normalisation (case of
 * scheme and host, default port, dot segments, empty path) — all of which WHATWG `URL` performs.
 * Returns undefined when the value is not an absolute http(s) URL.
 */
export function normalizeHtu(value: string): string | undefined {
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
