import { describe, expect, it } from 'vitest';
import { toPresentedRequest } from './presented-request.js';
import { resolveChainOptions } from './resolved-chain-options.js';
import { createFederation } from '../../chain/test/fixtures/federation.js';

const BASE = 'https://api.c.example';

describe('toPresentedRequest', () => {
  it('joins the public base URL and the original URL (Express mounts rewrite req.url)', () => {
    const req = {
      method: 'GET',
      originalUrl: '/partner/api/orders?x=1',
      url: '/api/orders?x=1',
      headersDistinct: { authorization: ['DPoP t'] },
      headers: { authorization: 'DPoP t' },
    };
    expect(toPresentedRequest(req, BASE)).toEqual({
      method: 'GET',
      url: 'https://api.c.example/partner/api/orders?x=1',
      headers: { authorization: ['DPoP t'] },
    });
  });

  it('keeps a scheme-relative-looking path on the configured host', () => {
    const url = toPresentedRequest({ method: 'GET', originalUrl: '//evil.example/x' }, BASE).url;
    expect(new URL(url).host).toBe('api.c.example');
  });

  it('reduces an absolute-form request target to its path and query', () => {
    const url = toPresentedRequest(
      { method: 'GET', url: 'http://evil.example/api/orders?a=b' },
      BASE,
    ).url;
    expect(url).toBe('https://api.c.example/api/orders?a=b');
  });

  it('reads a Fastify request through raw', () => {
    const req = { method: 'GET', raw: { url: '/api', headersDistinct: { dpop: ['p'] } } };
    expect(toPresentedRequest(req, BASE)).toEqual({
      method: 'GET',
      url: `${BASE}/api`,
      headers: { dpop: ['p'] },
    });
  });
});

describe('resolveChainOptions', () => {
  it('refuses a public base URL that is not an absolute http(s) URL without query', async () => {
    const fed = await createFederation({ domains: ['a'] });
    const base = { trust: fed.trustStore(), audience: fed.resource };
    for (const publicBaseUrl of [
      '/api',
      'ftp://x.example',
      'https://x.example/?a=1',
      'https://x.example/#f',
    ]) {
      expect(() => resolveChainOptions({ ...base, publicBaseUrl })).toThrow(TypeError);
    }
  });

  it('strips a trailing slash and creates one replay store', async () => {
    const fed = await createFederation({ domains: ['a'] });
    const resolved = resolveChainOptions({
      trust: fed.trustStore(),
      audience: fed.resource,
      publicBaseUrl: `${BASE}/`,
    });
    expect(resolved.publicBaseUrl).toBe(BASE);
    expect(typeof resolved.replayStore.checkAndStore).toBe('function');
  });
});
