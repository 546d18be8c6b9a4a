const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** True for 127.0.0.0/8, ::1 and `localhost`: the only hosts where plain http is accepted. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Why a string is not an acceptable endpoint URL, or undefined when it is.
 * https everywhere; http only on loopback (the demo federation); never credentials or a fragment.
 */
export function endpointUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return 'must be an https URL';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an https URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return 'must be an https URL (http is accepted only on loopback hosts)';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not contain credentials';
  }
  if (url.hash !== '' || value.includes('#')) {
    return 'must not contain a fragment';
  }
  return undefined;
}

/**
 * Why a string is not an acceptable base URL or resource identifier, or undefined when it is:
 * an endpoint URL without a query, so that paths can be appended and it compares exactly.
 */
export function baseUrlProblem(value: unknown): string | undefined {
  const problem = endpointUrlProblem(value);
  if (problem !== undefined) {
    return problem;
  }
  if (new URL(value as string).search !== '' || (value as string).includes('?')) {
    return 'must not contain a query';
  }
  return undefined;
}

/**
 * Why a string is not an acceptable issuer identifier, or undefined when it is.
 * RFC 8414 §2: https, no query, no fragment; a path is allowed. A trailing slash is refused
 * because issuers are compared as exact strings and endpoints are derived as `<issuer>/token`.
 */
export function issuerUrlProblem(value: unknown): string | undefined {
  const problem = endpointUrlProblem(value);
  if (problem !== undefined) {
    return problem;
  }
  const url = new URL(value as string);
  if (url.search !== '' || (value as string).includes('?')) {
    return 'must not contain a query (RFC 8414 §2)';
  }
  if ((value as string).endsWith('/')) {
    return 'must not end with a slash';
  }
  return undefined;
}
