import type { DelegatedTokenClaims } from '@baton/chain/protocol';
import type { IssuedTokenEntity } from '../database/issued-token.entity.js';

/** The row recording one issued token: everything to trace and cascade it, never the token. */
export function issuedTokenRecord(
  claims: DelegatedTokenClaims,
  facts: {
    grantType: string;
    parentJti?: string;
    parentIssuer?: string;
    tokenHash: string;
    linkHashes: readonly string[];
    status?: { list: number; idx: number };
  },
): IssuedTokenEntity {
  return {
    jti: claims.jti,
    issuer: claims.iss,
    grantType: facts.grantType,
    parentJti: facts.parentJti ?? null,
    parentIssuer: facts.parentIssuer ?? null,
    clientId: claims.client_id,
    sub: claims.sub,
    aud: claims.aud,
    scope: claims.scope,
    cnfJkt: claims.cnf.jkt,
    iat: claims.iat,
    exp: claims.exp,
    depth: claims.baton.links.length,
    tokenHash: facts.tokenHash,
    linkHash: facts.linkHashes[facts.linkHashes.length - 1],
    chainHashes: JSON.stringify(facts.linkHashes),
    links: JSON.stringify(claims.baton.links),
    statusList: facts.status?.list ?? null,
    statusIdx: facts.status?.idx ?? null,
    revokedAt: null,
  };
}
