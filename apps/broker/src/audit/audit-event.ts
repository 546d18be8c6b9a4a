/** The kinds of event a domain's audit log holds. */
export const AUDIT_EVENT_KINDS = [
  'token.issued',
  'token.refused',
  'token.revoked',
  'key.generated',
  'key.activated',
  'key.retired',
  'config.loaded',
] as const;

export type AuditEventKind = (typeof AUDIT_EVENT_KINDS)[number];

/** An event before it takes its place in the chain (no seq, prev_hash or hash yet). */
export interface AuditEventInput {
  kind: AuditEventKind;
  at: number;
  issuer?: string;
  jti?: string;
  parentIssuer?: string;
  parentJti?: string;
  subject?: string;
  clientId?: string;
  cnfJkt?: string;
  /** The remaining facts; never a token, a link's proof or a secret. */
  data: Record<string, unknown>;
}
