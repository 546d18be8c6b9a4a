import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../oauth/http-types.js';
import { parseTokenForm, scopeParam } from './token-form.js';

function request(body: unknown, form = true): HttpRequest {
  return {
    method: 'POST',
    headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    body,
  };
}

describe('parseTokenForm', () => {
  it('reads single string parameters and drops empty ones (RFC 6749 §3.1)', () => {
    const form = parseTokenForm(request({ grant_type: 'client_credentials', scope: '' }));
    expect([...form]).toEqual([['grant_type', 'client_credentials']]);
  });

  it('refuses a repeated parameter (an array from the parser), a bracketed one and an object', () => {
    expect(() => parseTokenForm(request({ scope: ['a', 'b'] }))).toThrowError(/scope is repeated/);
    for (const body of [{ 'scope[x]': 'a' }, { 'scope[]': 'a' }, { scope: { x: 'a' } }]) {
      expect(() => parseTokenForm(request(body))).toThrowError(
        expect.objectContaining({ error: 'invalid_request' }) as Error,
      );
    }
  });

  it('refuses another content type', () => {
    expect(() => parseTokenForm(request({ grant_type: 'x' }, false))).toThrowError(
      expect.objectContaining({ error: 'invalid_request' }) as Error,
    );
  });

  it('parses scope as RFC 6749 §3.3 scope tokens', () => {
    expect(scopeParam(new Map([['scope', 'read write read']]))).toEqual(['read', 'write']);
    expect(() => scopeParam(new Map([['scope', 'read  write']]))).toThrowError(
      expect.objectContaining({ error: 'invalid_scope' }) as Error,
    );
    expect(() => scopeParam(new Map([['scope', 'a"b']]))).toThrowError(
      expect.objectContaining({ error: 'invalid_scope' }) as Error,
    );
  });
});
