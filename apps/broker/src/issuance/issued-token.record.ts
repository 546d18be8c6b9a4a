import type { IssuedChain } from '@baton/chain/issue';
import type { IssuedTokenEntity } from '../database/issued-token.entity.js';

/** The row recording one issued token: everything to trace and cascade it, never the token. */
export function issuedTokenRecord(
  { claims, linkHashes, tokenHash }: IssuedChain,
  facts: { grantType: string; parentJti?: string; parentIssuer?: string },
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
    tokenHash,
    linkHash: linkHashes[linkHashes.length - 1],
    chainHashes: JSON.stringify(linkHashes),
    links: JSON.stringify(claims.baton.links),
  };
}
