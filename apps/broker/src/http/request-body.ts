import type { IncomingHttpHeaders } from 'node:http';
import { parse, type ParsedUrlQuery } from 'node:querystring';
import { OAuthError } from '../oauth/oauth-error.js';

export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** Largest request body read (form or JSON); a larger one is refused with 413. */
export const BODY_LIMIT_BYTES = 100 * 1024;

/** Most parameters a form may carry; more is refused with 413. */
const MAX_FORM_PARAMETERS = 1000;

/** The media type of a Content-Type value, lower-cased and without its parameters. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';', 1)[0].trim().toLowerCase();
  return type === '' ? undefined : type;
}

/**
 * A request body is read as sent: a `Content-Encoding` other than `identity` is refused with 415
 * (RFC 9110 §15.5.16) before anything parses it.
 */
export function refuseEncodedBody(headers: IncomingHttpHeaders): void {
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    throw unsupported();
  }
}

/**
 * An application/x-www-form-urlencoded body as name to value, a repeated name to its values (the
 * token form refuses those). UTF-8 only: another charset is refused with 415. The object has no
 * prototype, so `__proto__` or `constructor` are names like any other.
 */
export function parseFormBody(contentType: string | undefined, body: Buffer): ParsedUrlQuery {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1].toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw unsupported();
  }
  const text = body.toString('utf8');
  let parameters = 1;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) {
    parameters += 1;
  }
  if (parameters > MAX_FORM_PARAMETERS) {
    throw new OAuthError('invalid_request', 'the request body has too many parameters', {
      status: 413,
    });
  }
  return parse(text, '&', '=', { maxKeys: 0 });
}

function unsupported(): OAuthError {
  return new OAuthError(
    'invalid_request',
    'the request body has an unsupported media type or encoding',
    { status: 415 },
  );
}
