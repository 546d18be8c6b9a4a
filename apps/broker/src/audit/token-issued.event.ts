import { decodeJwt } from 'jose';
import type { DelegatedTokenClaims } from '@baton/chain/protocol';
import type { AuditEventInput } from './audit-event.js';

/** Facts of one issued token for the audit log: who, for whom, what, when, and along which chain. */
export function tokenIssuedEvent(
  claims: DelegatedTokenClaims,
  facts: { grantType: string; parentIssuer?: string; parentJti?: string; linkHash: string },
): AuditEventInput {
  const chainIssuers = claims.baton.links.map((link) => String(decodeJwt(link).iss));
  return {
    kind: 'token.issued',
    at: claims.iat,
    issuer: claims.iss,
    jti: claims.jti,
    ...(facts.parentJti === undefined
      ? {}
      : { parentIssuer: facts.parentIssuer, parentJti: facts.parentJti }),
    subject: claims.sub,
    clientId: claims.client_id,
    cnfJkt: claims.cnf.jkt,
    data: {
      grantType: facts.grantType,
      actor: claims.client_id,
      act: claims.act ?? null,
      aud: claims.aud,
      scope: claims.scope,
      iat: claims.iat,
      exp: claims.exp,
      chainIssuers,
      depth: claims.baton.links.length,
      linkHash: facts.linkHash,
    },
  };
}
