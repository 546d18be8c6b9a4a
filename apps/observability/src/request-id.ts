import { randomUUID } from 'node:crypto';

/** The header a request id arrives in (from a proxy or the client) and is answered in. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

// Visible ASCII without separators a log reader or a header could trip over; bounded length.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's id: the incoming `X-Request-Id` when it is one plain value of at most 128
 * letters, digits and `._:-` (so a hostile header can neither forge log structure nor grow
 * every line), otherwise a fresh UUID.
 */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming)
    ? incoming
    : randomUUID();
}
