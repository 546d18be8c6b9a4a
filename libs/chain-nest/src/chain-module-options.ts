import type { ModuleMetadata } from '@nestjs/common';
import type { ReplayStore, VerifyRequestOptions } from '@baton/chain';
import type { DelegationEventHook } from './delegation-event.js';

/** A server-issued DPoP nonce source (RFC 9449 §9). */
export interface DpopNonceSource {
  /** True when the proof's `nonce` claim is one this server issued and still accepts. */
  check(nonce: string | undefined): boolean | Promise<boolean>;
  /** A fresh nonce, sent as `DPoP-Nonce` with a `use_dpop_nonce` refusal. */
  issue(): string | Promise<string>;
}

export interface ChainModuleOptions extends Omit<
  VerifyRequestOptions,
  'replayStore' | 'requiredScopes' | 'now' | 'nonce'
> {
  /**
   * The public origin (and path prefix, if any) clients use to reach this server, e.g.
   * `https://api.c.example`. The guard builds each request's URL as this plus the request's
   * `originalUrl`; it never trusts `Host` or `X-Forwarded-*`, so behind a proxy this must be the
   * proxy's public URL.
   */
  publicBaseUrl: string;
  /** Default: a {@link MemoryReplayStore} for this process. Replicas need a shared store. */
  replayStore?: ReplayStore;
  /** Require a server nonce in every proof. */
  nonce?: DpopNonceSource;
  /** `realm` of the `WWW-Authenticate` challenge. */
  realm?: string;
  /** Current time in integer epoch seconds; default `Math.floor(Date.now() / 1000)`. */
  clock?: () => number;
  /**
   * Called once per guarded call, accepted or refused, with a summary that never holds the
   * token. A hook that throws or rejects is logged and does not change the answer.
   */
  onDecision?: DelegationEventHook;
}

export interface ChainModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // Nest factory providers take any injected values.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => ChainModuleOptions | Promise<ChainModuleOptions>;
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
}

/** The options as given to forRoot / returned by forRootAsync's factory. */
export const CHAIN_MODULE_OPTIONS = Symbol('CHAIN_MODULE_OPTIONS');
