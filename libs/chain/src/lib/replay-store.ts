/**
 * Where a verifier remembers the DPoP proof `jti`s it has accepted (RFC 9449 §11.1), so a proof
 * captured on the wire cannot be presented a second time while its `iat` window is open.
 *
 * Implementations must be atomic: two concurrent calls with the same key may not both see
 * `true`. A store shared by several replicas (a database table with a unique key) is what makes
 * replay detection hold across them; {@link MemoryReplayStore} covers one process only.
 */
export interface ReplayStore {
  /**
   * Atomically: `true` if `key` was not seen (and records it until `expiresAt`, epoch seconds),
   * `false` if it was seen and has not expired yet — or if the store cannot record it (a full
   * store fails closed).
   */
  checkAndStore(key: string, expiresAt: number): Promise<boolean>;
}
