/**
 * True for `http:` URLs on a loopback host (127.0.0.0/8, ::1, localhost): the one place plain
 * HTTP is allowed, as Baton's configuration allows it (RFC 8252 §8.3 reasons the same way).
 */
export function isLoopbackHttp(url: URL): boolean {
  if (url.protocol !== 'http:') {
    return false;
  }
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
