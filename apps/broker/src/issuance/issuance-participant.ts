import type { VerifiedChain } from '@baton/chain';
import type { ChainHop, IssuedChain } from '@baton/chain/issue';
import type { StatusReference } from '@baton/chain/protocol';
import type { EntityManager } from 'typeorm';
import type { IssuedTokenEntity } from '../database/issued-token.entity.js';

/** The hop about to be signed, as a participant sees it before signing. */
export interface IssuanceDraft {
  readonly grantType: string;
  /** The link claims libs/chain will sign (`jti` already chosen). */
  readonly hop: Readonly<ChainHop>;
  /** The verified subject token of an exchange; absent on an origin grant. */
  readonly subject: VerifiedChain | undefined;
}

/** Link claims a participant may add before signing; today only the Token Status List entry. */
export interface LinkContribution {
  readonly status?: StatusReference;
}

/** A signed token and the row that records it, inside the still-open transaction. */
export interface IssuanceResult {
  readonly grantType: string;
  readonly issued: IssuedChain;
  readonly record: IssuedTokenEntity;
  readonly subject: VerifiedChain | undefined;
}

/**
 * Joins every issuance transaction. The issuer opens one transaction per token and, in it:
 * records the single-use rows (DPoP proof, client assertion), calls every `beforeSign`, signs
 * the link and token with the contributed claims, inserts the token's record, calls every
 * `afterSign`, and commits once. A participant that throws rolls the whole token back: no token
 * leaves the broker without all its rows. Both phases run on `tx` only, never on another
 * connection, and must be quick (on SQLite the transaction holds the one writer).
 *
 * - Revocation (Token Status List): `beforeSign` allocates the next index in the domain's
 *   status list with `tx` and returns `{ status: { status_list: { idx, uri } } }`, which goes
 *   into the link's `status` claim before the link is signed (docs/chain-spec.md §3);
 *   `afterSign` is not needed.
 * - Audit: `afterSign` appends one audit event row for `result.record` with `tx`, hash-chained
 *   to the previous event, so the event exists exactly when the token does; `beforeSign` is
 *   not needed.
 *
 * Register a participant in `ISSUANCE_PARTICIPANT_REGISTRATIONS` (issuance-participants.ts).
 */
export interface IssuanceParticipant {
  beforeSign?(draft: IssuanceDraft, tx: EntityManager): Promise<LinkContribution | undefined>;
  afterSign?(result: IssuanceResult, tx: EntityManager): Promise<void>;
}

/** DI token of the ordered list of IssuanceParticipant instances. */
export const ISSUANCE_PARTICIPANTS = Symbol('ISSUANCE_PARTICIPANTS');
