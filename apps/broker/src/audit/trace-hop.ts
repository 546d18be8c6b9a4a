import type { LinkClaims } from '@baton/chain/protocol';

/** One token of a chain, read from its link (the link's `jti` is the token's). */
export interface TraceHop {
  index: number;
  iss: string;
  jti: string;
  sub: string;
  actor: string;
  aud: string;
  scope: string;
  iat: number;
  exp: number;
  /** The token this hop's exchange consumed; absent on an origin grant. */
  parent: { iss: string; jti: string } | null;
  /** The agent key every hop is bound to. */
  cnfJkt: string;
}

export function traceHop(link: LinkClaims, index: number): TraceHop {
  return {
    index,
    iss: link.iss,
    jti: link.jti,
    sub: link.sub,
    actor: link.client_id,
    aud: link.aud,
    scope: link.scope,
    iat: link.iat,
    exp: link.exp,
    parent: link.sbj === undefined ? null : { iss: link.sbj.iss, jti: link.sbj.jti },
    cnfJkt: link.cnf.jkt,
  };
}
