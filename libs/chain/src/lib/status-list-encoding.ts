import { deflateSync, inflateSync } from 'node:zlib';

/** draft-ietf-oauth-status-list, "Status List": a status takes 1, 2, 4 or 8 bits. */
export const STATUS_BITS = [1, 2, 4, 8] as const;
export type StatusBits = (typeof STATUS_BITS)[number];

/** A decoded status list: `bits` per status over `bytes`. */
export interface StatusList {
  bits: StatusBits;
  bytes: Uint8Array;
}

export function isStatusBits(value: unknown): value is StatusBits {
  return (STATUS_BITS as readonly unknown[]).includes(value);
}

/**
 * The status at `index` (draft-ietf-oauth-status-list, "Status List" step 2): bytes in natural order, bits
 * counted from the least significant bit of each byte. Undefined when `index` is out of bounds.
 */
export function statusAt(bytes: Uint8Array, bits: StatusBits, index: number): number | undefined {
  const perByte = 8 / bits;
  const byte = Math.floor(index / perByte);
  if (!Number.isSafeInteger(index) || index < 0 || byte >= bytes.length) {
    return undefined;
  }
  const shift = (index % perByte) * bits;
  return (bytes[byte] >> shift) & ((1 << bits) - 1);
}

/** Sets the status at `index` in place (the issuing side of {@link statusAt}). */
export function setStatus(bytes: Uint8Array, bits: StatusBits, index: number, value: number): void {
  const perByte = 8 / bits;
  const byte = Math.floor(index / perByte);
  const shift = (index % perByte) * bits;
  const mask = ((1 << bits) - 1) << shift;
  bytes[byte] = (bytes[byte] & ~mask) | ((value << shift) & mask);
}

/** draft-ietf-oauth-status-list, "Status List" step 3 and "Status List in JSON Format": DEFLATE in the ZLIB format, base64url. */
export function encodeStatusBytes(bytes: Uint8Array): string {
  return deflateSync(bytes, { level: 9 }).toString('base64url');
}

/**
 * The byte array of an `lst` value; refuses to inflate beyond `maxBytes` (a small compressed
 * list can expand enormously). Throws a plain Error; callers wrap it.
 */
export function decodeStatusBytes(lst: string, maxBytes: number): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(lst)) {
    throw new Error('lst is not base64url');
  }
  return inflateSync(Buffer.from(lst, 'base64url'), { maxOutputLength: maxBytes });
}
