import { createHash } from 'node:crypto';
import type { BrokerConfig } from '../config/broker-config.js';
import type { AuditEventInput } from './audit-event.js';
import { canonicalJson } from './audit-hash.js';

/**
 * The configuration a replica started with: who may do what here (clients, peers, external
 * issuers) and a digest of the whole policy, so an auditor sees when it changed. Secrets, their
 * hashes, the key-encryption key and the database URL are left out of both.
 */
export function configLoadedEvent(config: BrokerConfig): Omit<AuditEventInput, 'at'> {
  const policy = {
    issuer: config.issuer,
    mode: config.mode,
    keys: { ...config.keys, encryptionKey: undefined },
    tokens: config.tokens,
    dpop: config.dpop,
    policy: config.policy,
    clients: config.clients.map(({ secretHash: _secret, ...client }) => client),
    peers: config.peers,
    externalIssuers: config.externalIssuers,
  };
  return {
    kind: 'config.loaded',
    issuer: config.issuer,
    data: {
      source: config.source,
      mode: config.mode,
      digest: createHash('sha256').update(canonicalJson(policy)).digest('base64url'),
      clients: config.clients.map((client) => client.clientId),
      peers: config.peers.map((peer) => peer.issuer),
      externalIssuers: config.externalIssuers.map((external) => external.issuer),
    },
  };
}
