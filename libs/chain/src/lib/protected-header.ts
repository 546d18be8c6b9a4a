import { decodeProtectedHeader } from 'jose';
import { BoundedMap } from './bounded-map.js';
import { deepFreeze, type JsonObject } from './json.js';

/**
 * Decoded protected headers by their encoded segment: a domain's header repeats on every token
 * and link it signs, an agent's (with its `jwk`) on every proof. Entries are frozen all the way
 * down, since every caller shares them.
 */
const decoded = new BoundedMap<string, Readonly<JsonObject>>(1024);

/**
 * jose's decodeProtectedHeader of a compact JWS whose three parts the caller has checked,
 * remembered by the header's encoded segment.
 *
 * @throws what decodeProtectedHeader throws.
 */
export function decodeHeader(compact: string): Readonly<JsonObject> {
  const segment = compact.slice(0, compact.indexOf('.'));
  let header = decoded.get(segment);
  if (header === undefined) {
    header = deepFreeze(decodeProtectedHeader(compact));
    decoded.set(segment, header);
  }
  return header;
}
