import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { trustedIssuersOf } from '@baton/chain';
import { DEFAULT_ISSUER_ROLES } from '@baton/chain/protocol';
import type { BrokerConfig, ClientConfig } from '../broker/src/config/broker-config.js';
import type { ResourceServerConfig } from '../resource-server/src/config/resource-server-config.js';

/** Where the demo writes the manifest, relative to the repository root (gitignored). */
export const MANIFEST_PATH = '.baton/federation.json';

/** The partner API's routes and the scopes each requires (apps/resource-server controllers). */
export const PARTNER_API_ROUTES: readonly PartnerApiRoute[] = [
  { method: 'GET', path: '/api/orders', requiredScopes: ['orders:read'] },
  { method: 'GET', path: '/api/whoami', requiredScopes: [] },
];

/** A machine-readable picture of the running demo federation (docs/demo.md explains each field). */
export interface FederationManifest {
  readonly $comment: string;
  readonly version: 1;
  readonly generatedAt: string;
  readonly domains: Readonly<Record<string, DomainEntry>>;
  readonly agent: AgentEntry;
  /** Every other registered client, with where its credential lives. */
  readonly clients: readonly ClientEntry[];
  readonly partnerApi: PartnerApiEntry;
}

export interface DomainEntry {
  readonly issuer: string;
  readonly metadataUrl: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  readonly configFile: string;
  readonly grantTypes: readonly string[];
  readonly tokenEndpointAuthMethods: readonly string[];
  readonly dpopAlgorithms: readonly string[];
  /** Audiences a token issued here may name (besides the domain itself). */
  readonly audiences: readonly string[];
}

export interface AgentEntry {
  /** The agent's private JWK, relative to the repository root. DEMO ONLY. */
  readonly privateKeyFile: string;
  readonly kid?: string;
  readonly algorithm: string;
  /** RFC 7638 thumbprint of the public key: every token's `cnf.jkt`. */
  readonly keyThumbprint: string;
  /** The agent's registration at each domain that knows its key. */
  readonly clients: Readonly<Record<string, AgentClient>>;
}

export interface AgentClient {
  readonly clientId: string;
  readonly authMethod: string;
  readonly scopes: readonly string[];
  readonly grantTypes: readonly string[];
}

export type CredentialSource =
  | { readonly kind: 'file'; readonly file: string; readonly path: string }
  | { readonly kind: 'env'; readonly variable: string }
  | { readonly kind: 'hash-only'; readonly file: string; readonly path: string }
  | { readonly kind: 'public-keys'; readonly kids: readonly string[] };

export interface ClientEntry extends AgentClient {
  readonly domain: string;
  readonly credential: CredentialSource;
}

export interface PartnerApiRoute {
  readonly method: string;
  readonly path: string;
  readonly requiredScopes: readonly string[];
}

export interface PartnerApiEntry {
  readonly url: string;
  readonly healthUrl: string;
  readonly configFile: string;
  /** What the presented token's `aud` must be. */
  readonly audience: readonly string[];
  readonly trustedIssuers: readonly {
    readonly issuer: string;
    readonly roles: readonly string[];
  }[];
  readonly dpopAlgorithms: readonly string[];
  readonly routes: readonly (PartnerApiRoute & { readonly url: string })[];
}

/** What the manifest is built from: validated configs (and their raw form, for credential paths). */
export interface ManifestSources {
  readonly domains: readonly {
    readonly name: string;
    readonly configFile: string;
    readonly config: BrokerConfig;
    readonly raw: unknown;
  }[];
  readonly resourceServer: { readonly configFile: string; readonly config: ResourceServerConfig };
  readonly agentKeyFile: string;
  readonly agentPublicJwk: JWK;
}

/**
 * Builds the manifest from the configs, with each domain's endpoints taken from its live RFC 8414
 * metadata (so it describes what is running, not only what a file says).
 */
export async function buildFederationManifest(
  sources: ManifestSources,
  now: Date = new Date(),
): Promise<FederationManifest> {
  const keyThumbprint = await calculateJwkThumbprint(sources.agentPublicJwk);
  const domains: Record<string, DomainEntry> = {};
  const agentClients: Record<string, AgentClient> = {};
  const clients: ClientEntry[] = [];
  for (const { name, configFile, config, raw } of sources.domains) {
    domains[name] = await describeDomain(config, configFile);
    for (const [index, client] of config.clients.entries()) {
      if (await holdsKey(client, keyThumbprint)) {
        agentClients[name] = describeClient(client);
      } else {
        const credential = credentialSource(client, raw, index, configFile);
        clients.push({ domain: name, ...describeClient(client), credential });
      }
    }
  }
  return {
    $comment:
      'DEMO ONLY: the Baton demo federation on loopback. Paths are relative to the repository root. See docs/demo.md.',
    version: 1,
    generatedAt: now.toISOString(),
    domains,
    agent: {
      privateKeyFile: sources.agentKeyFile,
      ...(sources.agentPublicJwk.kid === undefined ? {} : { kid: sources.agentPublicJwk.kid }),
      algorithm: sources.agentPublicJwk.alg ?? 'ES256',
      keyThumbprint,
      clients: agentClients,
    },
    clients,
    partnerApi: describePartnerApi(
      sources.resourceServer.config,
      sources.resourceServer.configFile,
    ),
  };
}

async function describeDomain(config: BrokerConfig, configFile: string): Promise<DomainEntry> {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, {
    algorithm: 'oauth2',
    [oauth.allowInsecureRequests]: true,
  });
  const metadata = await oauth.processDiscoveryResponse(issuer, response);
  if (metadata.token_endpoint === undefined || metadata.jwks_uri === undefined) {
    throw new Error(`${config.issuer}: metadata names no token_endpoint or jwks_uri`);
  }
  return {
    issuer: metadata.issuer,
    metadataUrl: response.url,
    tokenEndpoint: metadata.token_endpoint,
    jwksUri: metadata.jwks_uri,
    configFile,
    grantTypes: metadata.grant_types_supported ?? [],
    tokenEndpointAuthMethods: metadata.token_endpoint_auth_methods_supported ?? [],
    dpopAlgorithms: metadata.dpop_signing_alg_values_supported ?? [],
    audiences: [
      ...new Set([
        ...config.policy.audiences,
        ...config.peers.flatMap((peer) => peer.allowedAudiences),
      ]),
    ],
  };
}

async function holdsKey(client: ClientConfig, thumbprint: string): Promise<boolean> {
  for (const key of client.jwks?.keys ?? []) {
    if ((await calculateJwkThumbprint(key)) === thumbprint) {
      return true;
    }
  }
  return false;
}

function describeClient(client: ClientConfig): AgentClient {
  return {
    clientId: client.clientId,
    authMethod: client.authMethod,
    scopes: client.scopes,
    grantTypes: client.grantTypes,
  };
}

/** Where a client's credential lives; the manifest names the place, never copies a secret. */
function credentialSource(
  client: ClientConfig,
  raw: unknown,
  index: number,
  file: string,
): CredentialSource {
  if (client.jwks !== undefined) {
    return {
      kind: 'public-keys',
      kids: client.jwks.keys.map((key) =>
        typeof key['kid'] === 'string' ? key['kid'] : '(no kid)',
      ),
    };
  }
  const entry = (raw as { clients?: Record<string, unknown>[] } | undefined)?.clients?.[index];
  if (typeof entry?.['secretEnv'] === 'string') {
    return { kind: 'env', variable: entry['secretEnv'] };
  }
  if (typeof entry?.['secret'] === 'string') {
    return { kind: 'file', file, path: `clients[${index}].secret` };
  }
  return { kind: 'hash-only', file, path: `clients[${index}].secretHash` };
}

function describePartnerApi(config: ResourceServerConfig, configFile: string): PartnerApiEntry {
  const base = config.publicBaseUrl.replace(/\/$/, '');
  return {
    url: base,
    healthUrl: `${base}/health`,
    configFile,
    audience: config.audience,
    trustedIssuers: trustedIssuersOf(config.trust).map(({ issuer, roles }) => ({
      issuer,
      roles: roles ?? DEFAULT_ISSUER_ROLES,
    })),
    dpopAlgorithms: config.dpop.algorithms,
    routes: PARTNER_API_ROUTES.map((route) => ({ ...route, url: `${base}${route.path}` })),
  };
}

/** Writes `<root>/.baton/federation.json` whole (temp file, then rename); returns its path. */
export async function writeFederationManifest(
  root: string,
  manifest: FederationManifest,
): Promise<string> {
  const path = join(root, MANIFEST_PATH);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  await rename(temporary, path);
  return path;
}

export async function readFederationManifest(root: string): Promise<FederationManifest> {
  return JSON.parse(await readFile(join(root, MANIFEST_PATH), 'utf8')) as FederationManifest;
}
