/** The system clock in integer epoch seconds (RFC 7519 §2 NumericDate): every `now` default. */
export function systemEpochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
