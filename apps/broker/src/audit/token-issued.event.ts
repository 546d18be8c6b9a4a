import type { IssuanceResult } from '../issuance/issuance-participant.js';
import type { AuditEventInput } from './audit-event.js';

/** Facts of one issued token for the audit log: who, for whom, what, when, and along which chain. */
export function tokenIssuedEvent({
  grantType,
  issued,
  record,
  subject,
}: IssuanceResult): AuditEventInput {
  const { claims } = issued;
  // The issued chain is the subject's links plus the new one (extendChain): no link is decoded again.
  const chainIssuers = [...(subject?.links ?? []).map((link) => link.iss), issued.link.iss];
  return {
    kind: 'token.issued',
    at: claims.iat,
    issuer: claims.iss,
    jti: claims.jti,
    ...(subject === undefined
      ? {}
      : { parentIssuer: String(subject.claims.iss), parentJti: String(subject.claims.jti) }),
    subject: claims.sub,
    clientId: claims.client_id,
    cnfJkt: claims.cnf.jkt,
    data: {
      grantType,
      actor: claims.client_id,
      act: claims.act ?? null,
      aud: claims.aud,
      scope: claims.scope,
      iat: claims.iat,
      exp: claims.exp,
      chainIssuers,
      depth: claims.baton.links.length,
      linkHash: record.linkHash,
    },
  };
}
