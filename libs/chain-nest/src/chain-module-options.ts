import type { ModuleMetadata } from '@nestjs/common';
import type { ChainErrorCode, LinkCache, ReplayStore, VerifyRequestOptions } from '@baton/chain';
import type { DelegationEventHook } from './delegation-event.js';

/** A server-issued DPoP nonce source (RFC 9449 §9). */
export interface DpopNonceSource {
  /** True when the proof's `nonce` claim is one this server issued and still accepts. */
  check(nonce: string | undefined): boolean | Promise<boolean>;
  /** A fresh nonce, sent as `DPoP-Nonce` with a `use_dpop_nonce` refusal. */
  issue(): string | Promise<string>;
}

/** What the guard reports after each verification, for metrics and logs; never a token. */
export type VerificationOutcome =
  | { readonly outcome: 'accepted'; readonly seconds: number; readonly subject: string }
  | {
      readonly outcome: 'refused';
      readonly seconds: number;
      /** The libs/chain code of the failed check. */
      readonly code: ChainErrorCode;
      /** The RFC 6750 / RFC 9449 error answered, if any (none for missing credentials). */
      readonly error?: string;
      readonly status: number;
    };

export interface ChainModuleOptions extends Omit<
  VerifyRequestOptions,
  'replayStore' | 'requiredScopes' | 'now' | 'nonce' | 'linkCache'
> {
  /**
   * The public origin (and path prefix, if any) clients use to reach this server, e.g.
   * `https://api.c.example`. The guard builds each request's URL as this plus the request's
   * `originalUrl`; it never trusts `Host` or `X-Forwarded-*`, so behind a proxy this must be the
   * proxy's public URL.
   */
  publicBaseUrl: string;
  /**
   * Verified links and tokens reused across requests (decoding, signature and hop-proof results
   * only; every other check runs on every request). Default: a LinkCache of at most 10 000 links
   * (about 20 MB) and 1 000 tokens (about 15 MB at depth 3) kept 300 s each, for this module's
   * TrustStore. `false` verifies every link every time.
   */
  linkCache?: LinkCache | false;
  /** Default: a {@link MemoryReplayStore} for this process. Replicas need a shared store. */
  replayStore?: ReplayStore;
  /** Require a server nonce in every proof. */
  nonce?: DpopNonceSource;
  /** `realm` of the `WWW-Authenticate` challenge. */
  realm?: string;
  /** Current time in integer epoch seconds; default `Math.floor(Date.now() / 1000)`. */
  clock?: () => number;
  /** Called after every verification the guard runs (accepted or refused); must not throw. */
  onVerification?: (outcome: VerificationOutcome) => void;
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
