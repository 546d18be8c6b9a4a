import { FORM_MEDIA_TYPE, mediaTypeOf } from '../http/request-body.js';
import type { HttpRequest } from '../oauth/http-types.js';
import { invalidRequest, OAuthError } from '../oauth/oauth-error.js';

/** The token request's parameters, each present at most once, empty values dropped. */
export type TokenForm = ReadonlyMap<string, string>;

/**
 * Reads the token request body. The form parser (parseFormBody) gives a repeated parameter as an
 * array: refused here, as is a bracketed name, so a duplicate can never be silently resolved to
 * its first or last value. Any other value that is not a string is refused too.
 */
export function parseTokenForm(request: HttpRequest): TokenForm {
  // RFC 6749 §3.2: the token endpoint takes application/x-www-form-urlencoded.
  if (mediaTypeOf(request.headers['content-type']) !== FORM_MEDIA_TYPE) {
    throw invalidRequest(`the request body must be ${FORM_MEDIA_TYPE}`);
  }
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('the request body is not a form');
  }
  const form = new Map<string, string>();
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    // RFC 6749 §3.2: request parameters MUST NOT be included more than once. A bracketed name
    // (`scope[x]`, `scope[]`) is another spelling of one, in parsers that nest them.
    if (typeof value !== 'string' || name.includes('[')) {
      throw invalidRequest(`parameter ${describe(name)} is repeated or malformed`);
    }
    // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
    if (value !== '') {
      form.set(name, value);
    }
  }
  return form;
}

export function requiredParam(form: TokenForm, name: string): string {
  const value = form.get(name);
  if (value === undefined) {
    throw invalidRequest(`parameter ${name} is required`);
  }
  return value;
}

/** RFC 6749 §3.3: `scope` is a space-delimited list of scope tokens; malformed is invalid_scope. */
export function scopeParam(form: TokenForm): string[] | undefined {
  const value = form.get('scope');
  if (value === undefined) {
    return undefined;
  }
  const items = value.split(' ');
  // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
  if (items.some((item) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(item))) {
    throw new OAuthError('invalid_scope', 'parameter scope is malformed');
  }
  return [...new Set(items)];
}

function describe(name: string): string {
  return /^[a-z_]{1,40}$/.test(name) ? name : '(unnamed)';
}
