import type { DomainSigningAlgorithm } from '@baton/chain/protocol';
import type { LogLevelName } from '../../../observability/src/log-levels.js';

/**
 * The validated, frozen configuration of one trust domain. Produced once at start-up by the
 * config loader from a YAML/JSON file plus environment secrets; nothing else reads process.env.
 */
export interface BrokerConfig {
  /** Path of the file it was loaded from, for messages. */
  readonly source: string;
  /** `production` refuses to start without a key-encryption key; `demo` warns loudly. */
  readonly mode: 'production' | 'demo';
  /** This domain's issuer identifier (RFC 8414 §2): an https URL, or http on loopback. */
  readonly issuer: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly database: DatabaseConfig;
  /** Deadlines and pool size of the database (file: the `database` section). */
  readonly databaseTimeouts: DatabaseTimeoutsConfig;
  readonly http: HttpConfig;
  readonly rateLimits: RateLimitsConfig;
  readonly retention: RetentionConfig;
  readonly keys: KeysConfig;
  readonly tokens: TokensConfig;
  readonly dpop: DpopConfig;
  readonly policy: PolicyConfig;
  readonly clients: readonly ClientConfig[];
  /** Other Baton domains whose chains this domain accepts. */
  readonly peers: readonly PeerConfig[];
  /** External issuers (corporate IdPs) whose DPoP-bound JWT access tokens may start a chain here. */
  readonly externalIssuers: readonly ExternalIssuerConfig[];
  readonly revocation: RevocationConfig;
  readonly logging: LoggingConfig;
  /** The Prometheus endpoint's own listener; absent: no metrics endpoint. */
  readonly metrics?: { readonly listen: { readonly host: string; readonly port: number } };
  /** Who may use the auditor API (its own credential, never a client's). */
  readonly auditors: readonly AuditorConfig[];
}

export interface AuditorConfig {
  /** The `<id>` of the credential `Bearer <id>.<secret>`. */
  readonly id: string;
  /** `scrypt:<salt>:<hash>` of the secret; never the secret. */
  readonly secretHash: string;
}

export interface RevocationConfig {
  /** `ttl` of the status list tokens this domain publishes. */
  readonly statusListTtlSeconds: number;
  /** `scrypt:<salt>:<hash>` of the administrator secret; absent = no administrator API. */
  readonly adminSecretHash?: string;
  /** Clients allowed to call the introspection endpoint (RFC 7662 §2.1: resource servers). */
  readonly introspectionClients: readonly string[];
  /** Issuers whose links are accepted when their status list cannot be had. */
  readonly failOpenIssuers: readonly string[];
}

export interface LoggingConfig {
  /** Least severe level written; `BATON_LOG_LEVEL` in the environment overrides the file. */
  readonly level: LogLevelName;
}

export type DatabaseConfig =
  | { readonly type: 'sqlite'; readonly path: string }
  | { readonly type: 'postgres'; readonly url: string; readonly schema?: string };

export interface DatabaseTimeoutsConfig {
  /** PostgreSQL: establishing one connection. */
  readonly connectMs: number;
  /** PostgreSQL: waiting for a pooled connection (including connecting it). */
  readonly acquireMs: number;
  /** One statement (PostgreSQL statement_timeout and client deadline; SQLite busy timeout). */
  readonly statementMs: number;
  /** PostgreSQL connections per process. */
  readonly poolSize: number;
  /** `Retry-After` sent with a 503 when the database cannot answer. */
  readonly retryAfterSeconds: number;
}

export interface HttpConfig {
  /** Node `headersTimeout`: the request headers must arrive within this. */
  readonly headersTimeoutMs: number;
  /** The whole request (headers and body) must arrive within this, or the connection is cut. */
  readonly requestTimeoutMs: number;
  /** Idle keep-alive connections are closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** On SIGTERM: in-flight requests get this long to finish before the process exits. */
  readonly shutdownTimeoutMs: number;
}

export interface RateLimitsConfig {
  /** Length of the window the token-endpoint limits count in. */
  readonly windowSeconds: number;
  /** Token requests per window from one source address. */
  readonly perSource: number;
  /** Token requests per window naming one client_id. */
  readonly perClient: number;
  /** Failed client authentications (per client_id) tolerated before backing off. */
  readonly authFailureThreshold: number;
  /** Longest back-off after repeated authentication failures. */
  readonly authFailureMaxBackoffSeconds: number;
  /** Client-secret verifications running at once (each is a slow hash on libuv's pool). */
  readonly secretHashConcurrency: number;
  /** Verifications waiting for a slot; beyond this a request gets 503 at once. */
  readonly secretHashQueue: number;
}

export interface RetentionConfig {
  /** `issued_token` rows are kept this long after the token expired (audit needs them). */
  readonly issuedTokenSeconds: number;
  /** Audit events older than this are archived, then pruned (only with `archiveDir`). */
  readonly auditEventSeconds: number;
  /** How often retention tasks run. */
  readonly intervalSeconds: number;
  /** Directory of the JSON Lines archives of pruned rows; undefined: pruned rows are deleted only. */
  readonly archiveDir?: string;
}

export interface KeysConfig {
  readonly algorithm: DomainSigningAlgorithm;
  /** How long a key signs before the next one takes over. */
  readonly rotationIntervalSeconds: number;
  /** How long a new key is published in the JWKS before it starts signing. */
  readonly prePublishSeconds: number;
  /** 32-byte key-encryption key (from the environment), or undefined in demo mode. */
  readonly encryptionKey?: Buffer;
}

export interface TokensConfig {
  /** Lifetime of origin tokens (client_credentials). */
  readonly accessTokenTtlSeconds: number;
  /** Upper bound on any token this domain issues; exchanged tokens also never outlive their subject. */
  readonly maxTokenTtlSeconds: number;
}

export interface DpopConfig {
  /** Require a server-issued nonce (RFC 9449 §8) at the token endpoint. */
  readonly requireNonce: boolean;
  readonly maxAgeSeconds: number;
  readonly clockSkewSeconds: number;
}

export interface PolicyConfig {
  readonly maxChainDepth: number;
  /** Largest token accepted or issued; the HTTP request header limit is derived from it. */
  readonly maxTokenBytes: number;
  /** verifyChain's requireBoundHopProofs for presented tokens (docs/chain-spec.md §3.1). */
  readonly requireBoundHopProofs: boolean;
  /** Audiences tokens issued here may name (besides this domain itself and trusted peers). */
  readonly audiences: readonly string[];
}

export type ClientAuthMethod = 'private_key_jwt' | 'client_secret_basic' | 'client_secret_post';

export interface ClientConfig {
  readonly clientId: string;
  readonly authMethod: ClientAuthMethod;
  /** For private_key_jwt: the client's public keys (RFC 7517). */
  readonly jwks?: { readonly keys: readonly Record<string, unknown>[] };
  /**
   * For client_secret_*: `scrypt:<salt>:<hash>` (base64url) of the secret, computed by the loader
   * from the file's `secret` or the environment variable named by `secretEnv`; never the secret.
   */
  readonly secretHash?: string;
  readonly scopes: readonly string[];
  readonly grantTypes: readonly string[];
}

export type PeerRole = 'present' | 'upstream';

export interface PeerConfig {
  /** The peer broker's issuer identifier. */
  readonly issuer: string;
  /** Static JWKS; exactly one of `jwks` and `discover` is set. */
  readonly jwks?: { readonly keys: readonly Record<string, unknown>[] };
  /** Fetch keys and endpoints from the peer's RFC 8414 metadata (never from a URL in a token). */
  readonly discover: boolean;
  /**
   * The peer's token endpoint (needed to check hop proofs); when absent, discovered, or
   * `<issuer>/token` for a peer with a static `jwks`.
   */
  readonly tokenEndpoint?: string;
  /**
   * What the peer may sign (libs/chain IssuerRole): `present` = the token presented here,
   * `upstream` = earlier links of a chain. Default both.
   */
  readonly roles: readonly PeerRole[];
  /** Scopes a chain coming from this peer may bring in. */
  readonly allowedScopes: readonly string[];
  /** Audiences this domain may send a chain from this peer onward to. */
  readonly allowedAudiences: readonly string[];
  /** Per-peer cap on chain depth (≤ policy.maxChainDepth). */
  readonly maxChainDepth?: number;
}

export interface ExternalIssuerConfig {
  readonly issuer: string;
  readonly jwks?: { readonly keys: readonly Record<string, unknown>[] };
  readonly discover: boolean;
  readonly allowedScopes: readonly string[];
}

/** Dependency-injection token under which the frozen BrokerConfig is provided. */
export const BROKER_CONFIG = Symbol('BROKER_CONFIG');
