/**
 * One base error, one subclass per invariant of the chain profile (docs/chain-spec.md §5).
 * Messages are short and fixed; details live in fields; a token never appears in either.
 */

export type ChainErrorCode =
  | 'ERR_MALFORMED'
  | 'ERR_UNTRUSTED_ISSUER'
  | 'ERR_SIGNATURE'
  | 'ERR_KEYS_UNAVAILABLE'
  | 'ERR_CONTINUITY'
  | 'ERR_AUDIENCE'
  | 'ERR_KEY_BINDING'
  | 'ERR_HOP_PROOF'
  | 'ERR_ATTENUATION'
  | 'ERR_LINKAGE'
  | 'ERR_ACT_MISMATCH'
  | 'ERR_DEPTH'
  | 'ERR_DOMAIN_REPEATED'
  | 'ERR_DPOP_PROOF'
  | 'ERR_DPOP_REPLAY'
  | 'ERR_DPOP_NONCE'
  | 'ERR_EXPIRED'
  | 'ERR_REVOKED'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_NO_CREDENTIALS'
  | 'ERR_INVALID_REQUEST';

/** Invariant numbers as in docs/chain-spec.md; 0 = the input is not a well-formed chain at all. */
export type Invariant = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

export interface ChainErrorDetail {
  /** Index of the link that failed, oldest = 0, when a link is at fault. */
  link?: number;
  /** The claim or header parameter at fault. */
  claim?: string;
  expected?: unknown;
  actual?: unknown;
  /** Issuer involved (never a token). */
  issuer?: string;
}

export interface ChainErrorOptions extends ChainErrorDetail {
  cause?: unknown;
}

export class ChainError extends Error {
  readonly code: ChainErrorCode;
  readonly invariant: Invariant;
  readonly detail: ChainErrorDetail;

  constructor(
    code: ChainErrorCode,
    invariant: Invariant,
    message: string,
    options: ChainErrorOptions = {},
  ) {
    const { cause, ...detail } = options;
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.invariant = invariant;
    this.detail = detail;
  }
}

/** Invariant 0: size, encoding or structure is wrong before any rule can be applied. */
export class MalformedChainError extends ChainError {
  constructor(message: string, options?: ChainErrorOptions) {
    super('ERR_MALFORMED', 0, message, options);
  }
}

/** Invariant 1: an issuer is not trusted, its keys are unavailable, or a signature does not verify. */
export class SignatureError extends ChainError {
  constructor(
    code: 'ERR_UNTRUSTED_ISSUER' | 'ERR_SIGNATURE' | 'ERR_KEYS_UNAVAILABLE',
    message: string,
    options?: ChainErrorOptions,
  ) {
    super(code, 1, message, options);
  }
}

/** Invariant 2: audiences and issuers do not join up, or the token is not for this verifier. */
export class ContinuityError extends ChainError {
  constructor(
    code: 'ERR_CONTINUITY' | 'ERR_AUDIENCE',
    message: string,
    options?: ChainErrorOptions,
  ) {
    super(code, 2, message, options);
  }
}

/** Invariant 3: a link or the token is bound to a different key than the agent's. */
export class KeyBindingError extends ChainError {
  constructor(message: string, options?: ChainErrorOptions) {
    super('ERR_KEY_BINDING', 3, message, options);
  }
}

/** Invariant 4: a hop lacks a valid proof of possession by the agent for that hop. */
export class HopProofError extends ChainError {
  constructor(message: string, options?: ChainErrorOptions) {
    super('ERR_HOP_PROOF', 4, message, options);
  }
}

/** Invariant 5: scope widened, expiry extended or subject changed along the chain. */
export class AttenuationError extends ChainError {
  constructor(message: string, options?: ChainErrorOptions) {
    super('ERR_ATTENUATION', 5, message, options);
  }
}

/** Invariant 6: hash links are broken (dropped, reordered or spliced links). */
export class LinkageError extends ChainError {
  constructor(message: string, options?: ChainErrorOptions) {
    super('ERR_LINKAGE', 6, message, options);
  }
}

/** Invariant 7: the readable `act` nesting disagrees with the links. */
export class ActMismatchError extends ChainError {
  constructor(message: string, options?: ChainErrorOptions) {
    super('ERR_ACT_MISMATCH', 7, message, options);
  }
}

/** Invariant 8: the chain is too deep or visits a domain twice. */
export class DepthError extends ChainError {
  constructor(
    code: 'ERR_DEPTH' | 'ERR_DOMAIN_REPEATED',
    message: string,
    options?: ChainErrorOptions,
  ) {
    super(code, 8, message, options);
  }
}

/** Invariant 9: the request's DPoP proof is missing, invalid, replayed or lacks the server nonce. */
export class DpopProofError extends ChainError {
  constructor(
    code: 'ERR_DPOP_PROOF' | 'ERR_DPOP_REPLAY' | 'ERR_DPOP_NONCE',
    message: string,
    options?: ChainErrorOptions,
  ) {
    super(code, 9, message, options);
  }
}

/** Invariant 10: a link or the token has expired or been revoked. */
export class StatusError extends ChainError {
  constructor(code: 'ERR_EXPIRED' | 'ERR_REVOKED', message: string, options?: ChainErrorOptions) {
    super(code, 10, message, options);
  }
}

/** The chain is valid but does not grant what the route requires (RFC 6750 §3.1 insufficient_scope). */
export class InsufficientScopeError extends ChainError {
  constructor(message: string, options?: ChainErrorOptions) {
    super('ERR_INSUFFICIENT_SCOPE', 0, message, options);
  }
}

/**
 * The request to a resource carries no DPoP credentials (`ERR_NO_CREDENTIALS`, RFC 6750 §3.1:
 * answer with a bare challenge), or carries them in a form the RFCs forbid (`ERR_INVALID_REQUEST`:
 * two Authorization headers, a DPoP-bound token sent with the Bearer scheme, RFC 9449 §7.2).
 */
export class RequestError extends ChainError {
  constructor(
    code: 'ERR_NO_CREDENTIALS' | 'ERR_INVALID_REQUEST',
    message: string,
    options?: ChainErrorOptions,
  ) {
    super(code, 0, message, options);
  }
}
