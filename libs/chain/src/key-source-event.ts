/**
 * What a verifier's key sources report, so an application can count them (Prometheus, logs)
 * without this library depending on a metrics client.
 *
 * - `resource`: `jwks` for an issuer's discovered keys (metadata + JWK Set), `status-list` for a
 *   Token Status List.
 * - `outcome`: `fetched` (loaded over the network), `fetch-failed`, or `cache-hit` (served from
 *   memory without a request).
 *
 * Static and callback key sources are never fetched and report nothing.
 */
export interface KeySourceEvent {
  readonly resource: 'jwks' | 'status-list';
  readonly outcome: 'fetched' | 'fetch-failed' | 'cache-hit';
  /** The issuer the resource belongs to. */
  readonly issuer: string;
}

/** Receives {@link KeySourceEvent}s; must not throw (a throw is ignored). */
export type KeySourceListener = (event: KeySourceEvent) => void;

/** Deliver `event` to `listener`, if any, never letting the listener break verification. */
export function emitKeySourceEvent(
  listener: KeySourceListener | undefined,
  event: KeySourceEvent,
): void {
  try {
    listener?.(event);
  } catch {
    // An observer's fault never changes a verification.
  }
}
