import { beforeAll, describe, expect, it } from 'vitest';
import {
  ChainError,
  MemoryReplayStore,
  httpStatusFor,
  verifyRequest,
  wwwAuthenticate,
  type PresentedRequest,
  type VerifyRequestOptions,
} from '@baton/chain';
import {
  createAgent,
  createFederation,
  replacePayload,
  type BuiltChain,
  type Federation,
} from './fixtures/federation.js';

const URL_ORDERS = 'https://api.example/api/orders';

let fed: Federation;
let chain: BuiltChain;

beforeAll(async () => {
  fed = await createFederation({ domains: ['a', 'b', 'c'] });
  chain = await fed.issueChain({ path: ['a', 'b', 'c'], scope: 'orders:read orders:write' });
});

function options(extra: Partial<VerifyRequestOptions> = {}): VerifyRequestOptions {
  return { ...fed.verifyOptions(), replayStore: new MemoryReplayStore(), ...extra };
}

async function honestRequest(
  overrides: {
    url?: string;
    method?: string;
    token?: string;
    proof?: Parameters<Federation['agent']['proof']>[0];
  } = {},
): Promise<PresentedRequest> {
  const token = overrides.token ?? chain.token;
  const proof = await fed.agent.proof(
    overrides.proof ?? { method: 'GET', url: URL_ORDERS, accessToken: token },
  );
  return {
    method: overrides.method ?? 'GET',
    url: overrides.url ?? URL_ORDERS,
    headers: { authorization: `DPoP ${token}`, dpop: proof },
  };
}

async function refusal(
  req: PresentedRequest,
  opts: VerifyRequestOptions = options(),
): Promise<ChainError> {
  try {
    await verifyRequest(req, opts);
  } catch (error) {
    if (error instanceof ChainError) {
      return error;
    }
    throw error;
  }
  throw new Error('request was accepted');
}

describe('verifyRequest accepts', () => {
  it('an honest three-hop chain with the agent’s proof for this request', async () => {
    const verified = await verifyRequest(
      await honestRequest(),
      options({ requiredScopes: ['orders:read'] }),
    );
    expect(verified.depth).toBe(3);
    expect(verified.hops.map((h) => h.domain)).toEqual([
      'https://a.example',
      'https://b.example',
      'https://c.example',
    ]);
    expect(verified.agentKeyThumbprint).toBe(fed.agent.jkt);
    expect(verified.proof.jkt).toBe(fed.agent.jkt);
    expect(verified.proof.htm).toBe('GET');
    expect(verified.scope).toEqual(['orders:read', 'orders:write']);
  });

  it('header names in any case and a query string on the request URL (htu ignores it)', async () => {
    const proof = await fed.agent.proof({
      method: 'GET',
      url: URL_ORDERS,
      accessToken: chain.token,
    });
    const req = {
      method: 'GET',
      url: `${URL_ORDERS}?page=2`,
      headers: { Authorization: [`DPoP ${chain.token}`], DPoP: [proof] },
    };
    await expect(verifyRequest(req, options())).resolves.toMatchObject({ depth: 3 });
  });

  it('an htu that differs only by RFC 3986 normalisation (case, default port)', async () => {
    const req = await honestRequest({
      proof: { method: 'GET', url: 'HTTPS://API.EXAMPLE:443/api/orders', accessToken: chain.token },
    });
    await expect(verifyRequest(req, options())).resolves.toMatchObject({ depth: 3 });
  });

  it('the DPoP scheme name in any case (RFC 9110 §11.1)', async () => {
    const req = await honestRequest();
    req.headers['authorization'] = `dpop ${chain.token}`;
    await expect(verifyRequest(req, options())).resolves.toMatchObject({ depth: 3 });
  });
});

describe('verifyRequest refuses', () => {
  it('a request without credentials, with a bare challenge (401, no error)', async () => {
    const error = await refusal({ method: 'GET', url: URL_ORDERS, headers: {} });
    expect(error.code).toBe('ERR_NO_CREDENTIALS');
    expect(httpStatusFor(error)).toBe(401);
    expect(wwwAuthenticate(error, { algorithms: ['ES256'] })).toBe('DPoP algs="ES256"');
  });

  it('an unsupported scheme as no credentials', async () => {
    const error = await refusal({
      method: 'GET',
      url: URL_ORDERS,
      headers: { authorization: 'Basic YTpi' },
    });
    expect(error.code).toBe('ERR_NO_CREDENTIALS');
  });

  it('a DPoP-bound token downgraded to the Bearer scheme (RFC 9449 §7.2)', async () => {
    const req = await honestRequest();
    req.headers['authorization'] = `Bearer ${chain.token}`;
    const error = await refusal(req);
    expect(error.code).toBe('ERR_INVALID_REQUEST');
    expect(httpStatusFor(error)).toBe(400);
    expect(wwwAuthenticate(error)).toMatch(/^DPoP error="invalid_request"/);
  });

  it('two Authorization headers, as separate fields or folded with a comma', async () => {
    const req = await honestRequest();
    req.headers['authorization'] = [`DPoP ${chain.token}`, `DPoP ${chain.tokens[1]}`];
    expect((await refusal(req)).code).toBe('ERR_INVALID_REQUEST');
    req.headers['authorization'] = `DPoP ${chain.token}, DPoP ${chain.tokens[1]}`;
    expect((await refusal(req)).code).toBe('ERR_INVALID_REQUEST');
  });

  it('credentials that are not a token68', async () => {
    const req = await honestRequest();
    req.headers['authorization'] = 'DPoP a b';
    expect((await refusal(req)).code).toBe('ERR_INVALID_REQUEST');
    req.headers['authorization'] = 'DPoP';
    expect((await refusal(req)).code).toBe('ERR_INVALID_REQUEST');
  });

  it('a token without a DPoP proof header', async () => {
    const error = await refusal({
      method: 'GET',
      url: URL_ORDERS,
      headers: { authorization: `DPoP ${chain.token}` },
    });
    expect(error.code).toBe('ERR_DPOP_PROOF');
    expect(wwwAuthenticate(error)).toMatch(/^DPoP error="invalid_dpop_proof"/);
  });

  it('two DPoP proof headers (RFC 9449 §4.3 step 1)', async () => {
    const req = await honestRequest();
    const second = await fed.agent.proof({
      method: 'GET',
      url: URL_ORDERS,
      accessToken: chain.token,
    });
    req.headers['dpop'] = [req.headers['dpop'] as string, second];
    expect((await refusal(req)).code).toBe('ERR_DPOP_PROOF');
  });

  it('a proof for another method (htm)', async () => {
    const req = await honestRequest({ method: 'DELETE' });
    const error = await refusal(req);
    expect(error.code).toBe('ERR_DPOP_PROOF');
    expect(error.detail.claim).toBe('htm');
  });

  it('a proof for another URL (htu)', async () => {
    const req = await honestRequest({ url: 'https://api.example/api/whoami' });
    const error = await refusal(req);
    expect(error.code).toBe('ERR_DPOP_PROOF');
    expect(error.detail.claim).toBe('htu');
  });

  it('a proof made for another access token (ath)', async () => {
    const req = await honestRequest({
      proof: { method: 'GET', url: URL_ORDERS, accessToken: chain.tokens[1] },
    });
    const error = await refusal(req);
    expect(error.code).toBe('ERR_DPOP_PROOF');
    expect(error.detail.claim).toBe('ath');
  });

  it('a proof outside the iat window, too old or from the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const iat of [now - 600, now + 600]) {
      const req = await honestRequest({
        proof: { method: 'GET', url: URL_ORDERS, accessToken: chain.token, iat },
      });
      const error = await refusal(req);
      expect(error.code).toBe('ERR_DPOP_PROOF');
      expect(error.detail.claim).toBe('iat');
    }
  });

  it('a replayed proof (same jti twice)', async () => {
    const opts = options();
    const req = await honestRequest();
    await verifyRequest(req, opts);
    const error = await refusal(req, opts);
    expect(error.code).toBe('ERR_DPOP_REPLAY');
    expect(wwwAuthenticate(error)).toMatch(/^DPoP error="invalid_dpop_proof"/);
  });

  it('a stolen token presented with the thief’s own key', async () => {
    const thief = await createAgent();
    const proof = await thief.proof({ method: 'GET', url: URL_ORDERS, accessToken: chain.token });
    const req = {
      method: 'GET',
      url: URL_ORDERS,
      headers: { authorization: `DPoP ${chain.token}`, dpop: proof },
    };
    const error = await refusal(req);
    expect(error.code).toBe('ERR_DPOP_PROOF');
    expect(error.detail.claim).toBe('jkt');
  });

  it('a proof without the server nonce, and accepts it with the nonce', async () => {
    const opts = options({ nonce: (n) => n === 'n-1' });
    const error = await refusal(await honestRequest(), opts);
    expect(error.code).toBe('ERR_DPOP_NONCE');
    expect(wwwAuthenticate(error)).toMatch(/^DPoP error="use_dpop_nonce"/);
    const req = await honestRequest({
      proof: { method: 'GET', url: URL_ORDERS, accessToken: chain.token, nonce: 'n-1' },
    });
    await expect(verifyRequest(req, opts)).resolves.toMatchObject({ proof: { nonce: 'n-1' } });
  });

  it('a token for another audience', async () => {
    const error = await refusal(
      await honestRequest(),
      options({ audience: 'https://other.example' }),
    );
    expect(error.code).toBe('ERR_AUDIENCE');
    expect(wwwAuthenticate(error)).toMatch(/^DPoP error="invalid_token"/);
  });

  it('a token whose payload was altered after signing', async () => {
    const forged = replacePayload(chain.token, (c: { scope: string }) => {
      c.scope += ' admin';
    });
    const error = await refusal(await honestRequest({ token: forged }));
    expect(error.code).toBe('ERR_SIGNATURE');
    expect(httpStatusFor(error)).toBe(401);
  });

  it('a token that lacks the route’s scope with 403 insufficient_scope naming it', async () => {
    const error = await refusal(
      await honestRequest(),
      options({ requiredScopes: ['orders:admin'] }),
    );
    expect(error.code).toBe('ERR_INSUFFICIENT_SCOPE');
    expect(httpStatusFor(error)).toBe(403);
    expect(wwwAuthenticate(error)).toContain('scope="orders:admin"');
  });

  it('checks the proof before the scope, so a thief learns nothing about the token', async () => {
    const req = await honestRequest({ method: 'POST' });
    const error = await refusal(req, options({ requiredScopes: ['orders:admin'] }));
    expect(error.code).toBe('ERR_DPOP_PROOF');
  });

  it('does not record the proof of a request whose chain fails', async () => {
    const opts = options();
    const req = await honestRequest();
    await refusal(req, { ...opts, audience: 'https://other.example' });
    await expect(verifyRequest(req, opts)).resolves.toMatchObject({ depth: 3 });
  });
});

describe('verifyRequest misuse', () => {
  it('throws a TypeError (a programming error, not a refusal) for a relative request URL', async () => {
    const req = await honestRequest();
    await expect(verifyRequest({ ...req, url: '/api/orders' }, options())).rejects.toBeInstanceOf(
      TypeError,
    );
  });
});
