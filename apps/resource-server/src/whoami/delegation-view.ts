import type { VerifiedRequest } from '@baton/chain';

/** What `GET /api/whoami` shows: the verified chain, readable by a person. */
export interface DelegationView {
  subject: string;
  agentKeyThumbprint: string;
  originIssuer: string;
  issuer: unknown;
  audience: unknown;
  scope: string[];
  depth: number;
  /** The domains the chain crossed, oldest first. */
  route: string[];
  hops: {
    index: number;
    domain: string;
    actor: string;
    audience: string;
    scope: string[];
    /** With the domain, the hop's join key (docs/chain-spec.md §4): (domain, jti). */
    jti: string;
    /** ISO 8601, or null for a time that has no calendar form. */
    issuedAt: string | null;
    expiresAt: string | null;
    exchangedToken?: { issuer: string; jti: string };
  }[];
  act: unknown;
  proof: { htm: string; htu: string; iat: number; jti: string };
}

export function toDelegationView(verified: VerifiedRequest): DelegationView {
  return {
    subject: verified.subject,
    agentKeyThumbprint: verified.agentKeyThumbprint,
    originIssuer: verified.originIssuer,
    issuer: verified.claims['iss'],
    audience: verified.claims['aud'],
    scope: verified.scope,
    depth: verified.depth,
    route: verified.hops.map((hop) => hop.domain),
    hops: verified.hops.map((hop) => ({
      index: hop.index,
      domain: hop.domain,
      actor: hop.actor,
      audience: hop.audience,
      scope: hop.scope,
      jti: hop.jti,
      issuedAt: isoTime(hop.iat),
      expiresAt: isoTime(hop.exp),
      ...(hop.subjectToken === undefined
        ? {}
        : { exchangedToken: { issuer: hop.subjectToken.iss, jti: hop.subjectToken.jti } }),
    })),
    act: verified.claims['act'] ?? null,
    proof: {
      htm: verified.proof.htm,
      htu: verified.proof.htu,
      iat: verified.proof.iat,
      jti: verified.proof.jti,
    },
  };
}

/** ECMAScript Date covers ±8.64e15 ms; the view never throws on a time outside it. */
function isoTime(seconds: number): string | null {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
