/** DI token of the trust store traces verify with: the subject trust, this domain's keys from the archive. */
export const AUDIT_TRUST = Symbol('AUDIT_TRUST');
