import type { PresentedRequest } from '@baton/chain';

type Headers = PresentedRequest['headers'];

/** The fields the guard reads from an Express or Fastify request. */
export interface HttpRequestLike {
  method?: string;
  originalUrl?: string;
  url?: string;
  headers?: Headers;
  headersDistinct?: Headers;
  raw?: { url?: string; headers?: Headers; headersDistinct?: Headers };
}

/**
 * Builds the {@link PresentedRequest} for verifyRequest: the method, the absolute URL as the
 * client addressed it (the configured public base URL followed by the request target, so a
 * forged `Host` or `X-Forwarded-Host` cannot steer the `htu` comparison), and the headers with
 * duplicates kept (`headersDistinct`).
 */
export function toPresentedRequest(req: HttpRequestLike, publicBaseUrl: string): PresentedRequest {
  const target = req.originalUrl ?? req.raw?.url ?? req.url ?? '/';
  return {
    method: req.method ?? '',
    url: publicBaseUrl + originForm(target),
    headers:
      req.headersDistinct ?? req.raw?.headersDistinct ?? req.headers ?? req.raw?.headers ?? {},
  };
}

/** RFC 9112 §3.2: the path and query of a request target, whatever form it was sent in. */
function originForm(target: string): string {
  if (target.startsWith('/')) {
    return target;
  }
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return '/';
  }
}
