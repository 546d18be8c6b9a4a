import type { IssuerRole } from '@baton/chain';

/**
 * The validated, frozen configuration of domain C's partner API. Produced once at start-up by
 * {@link parseResourceServerConfig}; nothing else reads the file or the environment.
 */
export interface ResourceServerConfig {
  /** Path of the file it was loaded from, for messages. */
  readonly source: string;
  /** Identifiers a presented token's `aud` must name (domain C's issuer). */
  readonly audience: readonly string[];
  /** The URL clients use to reach this server; DPoP `htu` is checked against it plus the path. */
  readonly publicBaseUrl: string;
  readonly listen: { readonly host: string; readonly port: number };
  /** `realm` of the WWW-Authenticate challenge. */
  readonly realm?: string;
  readonly trustedIssuers: readonly TrustedIssuerConfig[];
  readonly dpop: {
    readonly algorithms: readonly string[];
    readonly maxAgeSeconds: number;
    readonly clockSkewSeconds: number;
  };
  readonly policy: {
    readonly maxChainDepth: number;
    /** Largest token accepted; the HTTP request header limit is derived from it. */
    readonly maxTokenBytes: number;
    /** verifyChain's requireBoundHopProofs (docs/chain-spec.md §3.1). */
    readonly requireBoundHopProofs: boolean;
  };
  readonly replayStore: { readonly maxEntries: number };
}

export interface TrustedIssuerConfig {
  readonly issuer: string;
  readonly roles: readonly IssuerRole[];
  /** Static JWKS; exactly one of `jwks` and `discover` is set. */
  readonly jwks?: { readonly keys: readonly Record<string, unknown>[] };
  /** Keys and token endpoint from the issuer's RFC 8414 metadata. */
  readonly discover: boolean;
  readonly tokenEndpoint?: string;
  readonly algorithms?: readonly string[];
}

/** Dependency-injection token under which the frozen config is provided. */
export const RESOURCE_SERVER_CONFIG = Symbol('RESOURCE_SERVER_CONFIG');
