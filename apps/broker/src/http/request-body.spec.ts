import { describe, expect, it } from 'vitest';
import { mediaTypeOf, parseFormBody, refuseEncodedBody } from './request-body.js';

const FORM = 'application/x-www-form-urlencoded';

describe('parseFormBody', () => {
  it('reads names and values, a repeated name as an array, on an object without prototype', () => {
    const form = parseFormBody(FORM, Buffer.from('a=1&b=x+y%21&a=2&__proto__=p'));
    expect(Object.entries(form)).toEqual([
      ['a', ['1', '2']],
      ['b', 'x y!'],
      ['__proto__', 'p'],
    ]);
    expect(Object.getPrototypeOf(form)).toBeNull();
  });

  it('takes UTF-8 only (415 for another charset)', () => {
    expect(parseFormBody(`${FORM}; charset=UTF-8`, Buffer.from('a=%C3%A4'))).toEqual(
      expect.objectContaining({ a: 'ä' }),
    );
    expect(() => parseFormBody(`${FORM}; charset="utf-16"`, Buffer.from('a=b'))).toThrowError(
      expect.objectContaining({ error: 'invalid_request', status: 415 }) as Error,
    );
  });

  it('refuses more than 1000 parameters with 413', () => {
    expect(() => parseFormBody(FORM, Buffer.from('a=1&'.repeat(1000)))).toThrowError(
      expect.objectContaining({ error: 'invalid_request', status: 413 }) as Error,
    );
    expect(Object.keys(parseFormBody(FORM, Buffer.from('a=1&'.repeat(999))))).toEqual(['a']);
  });
});

describe('refuseEncodedBody', () => {
  it('lets identity through and refuses any other Content-Encoding with 415', () => {
    expect(() => refuseEncodedBody({})).not.toThrow();
    expect(() => refuseEncodedBody({ 'content-encoding': 'Identity' })).not.toThrow();
    expect(() => refuseEncodedBody({ 'content-encoding': 'gzip' })).toThrowError(
      expect.objectContaining({ status: 415 }) as Error,
    );
  });
});

describe('mediaTypeOf', () => {
  it('gives the lower-cased type without parameters', () => {
    expect(mediaTypeOf('Application/X-WWW-Form-Urlencoded ; charset=utf-8')).toBe(FORM);
    expect(mediaTypeOf(undefined)).toBeUndefined();
    expect(mediaTypeOf('')).toBeUndefined();
  });
});
