import {
  decodeStatusBytes,
  encodeStatusBytes,
  isStatusBits,
  setStatus,
  statusAt,
  type StatusBits,
  type StatusList,
} from './lib/status-list-encoding.js';

export type { StatusBits, StatusList };

/**
 * A list of `size` statuses, all VALID (0). `size` is rounded up to whole bytes, as the draft
 * recommends ("Status List Size").
 */
export function createStatusList(bits: StatusBits, size: number): StatusList {
  return { bits, bytes: new Uint8Array(Math.ceil((size * bits) / 8)) };
}

/** The status at `index`, or undefined when the list is shorter ("Validation Rules" step 6). */
export function readStatus(list: StatusList, index: number): number | undefined {
  return statusAt(list.bytes, list.bits, index);
}

/** Sets the status at `index` (in place); `value` must fit in `bits`. */
export function writeStatus(list: StatusList, index: number, value: number): void {
  if (readStatus(list, index) === undefined || value < 0 || value >= 2 ** list.bits) {
    throw new RangeError('status index or value out of range');
  }
  setStatus(list.bytes, list.bits, index, value);
}

/** The JSON form `{ bits, lst }` (draft-ietf-oauth-status-list, "Status List in JSON Format"): ZLIB/DEFLATE, base64url. */
export function encodeStatusList(list: StatusList): { bits: StatusBits; lst: string } {
  return { bits: list.bits, lst: encodeStatusBytes(list.bytes) };
}

/**
 * Decodes the JSON form `{ bits, lst }`, refusing to inflate past `maxBytes` (default 2 MiB).
 *
 * @throws TypeError for a bad `bits` or `lst`; RangeError when the list inflates past `maxBytes`.
 */
export function decodeStatusList(
  json: { bits: unknown; lst: unknown },
  maxBytes = 2 * 1024 * 1024,
): StatusList {
  if (!isStatusBits(json.bits) || typeof json.lst !== 'string') {
    throw new TypeError('status_list must have bits 1, 2, 4 or 8 and a string lst');
  }
  try {
    return { bits: json.bits, bytes: decodeStatusBytes(json.lst, maxBytes) };
  } catch (cause) {
    throw cause instanceof RangeError
      ? cause
      : new TypeError('lst is not a ZLIB stream', { cause });
  }
}
