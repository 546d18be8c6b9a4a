import type { IssuedChain } from '@baton/chain/issue';
import type { IssuedTokenEntity } from '../database/issued-token.entity.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { statusListIdOf } from '../revocation/status-list-uri.js';

/** The longest `sub` a record keeps (`issued_token.sub`, `audit_event.subject`). */
export const MAX_RECORDED_SUB = 1024;
/** The longest parent `jti` a record keeps (`issued_token.parent_jti`, `audit_event.parent_jti`). */
export const MAX_RECORDED_JTI = 256;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * Refuses a hop whose subject identifiers its record could not keep as they are: longer than
 * their column, or holding a control character (PostgreSQL refuses a NUL in text; a log line or
 * a terminal would misread the others). They come from a token another domain signed, so a
 * domain that trusts it can still send them: an `invalid_grant` naming the claim, on both
 * databases, rather than a write that fails.
 */
export function checkRecordable(sub: string, parentJti: string | undefined): void {
  if (sub.length > MAX_RECORDED_SUB || CONTROL_CHARACTER.test(sub)) {
    throw new OAuthError(
      'invalid_grant',
      `the subject's sub is longer than ${MAX_RECORDED_SUB} characters or holds a control character`,
    );
  }
  if (
    parentJti !== undefined &&
    (parentJti.length > MAX_RECORDED_JTI || CONTROL_CHARACTER.test(parentJti))
  ) {
    throw new OAuthError(
      'invalid_grant',
      `the subject token's jti is longer than ${MAX_RECORDED_JTI} characters or holds a control character`,
    );
  }
}

/** The row recording one issued token: everything to trace and cascade it, never the token. */
export function issuedTokenRecord(
  { claims, link, linkHashes, tokenHash }: IssuedChain,
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
    statusList: statusListIdOf(link.status?.status_list.uri),
    statusIdx: link.status?.status_list.idx ?? null,
    revokedAt: null,
  };
}
