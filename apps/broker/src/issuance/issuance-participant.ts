import type { VerifiedChain } from '@baton/chain';
import type { ChainHop, IssuedChain } from '@baton/chain/issue';
import type { StatusReference } from '@baton/chain/protocol';
import type { EntityManager } from 'typeorm';
import type { IssuedTokenEntity } from '../database/issued-token.entity.js';
import type { RowWrite } from '../database/row-statements.js';

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

/** A signed token and the row that records it, not yet committed. */
export interface IssuanceResult {
  readonly grantType: string;
  readonly issued: IssuedChain;
  readonly record: IssuedTokenEntity;
  readonly subject: VerifiedChain | undefined;
}

/**
 * Joins every issuance. The issuer signs a token outside any transaction, then hands it to the
 * IssuanceWriter, which writes the rows of the tokens signed meanwhile as one unit
 * (`DatabaseTransactions.writeRows`, group commit): each token's single-use rows (DPoP proof,
 * client assertion), its record, and the rows the participants' `afterSign` returns for the
 * batch. The unit commits or fails whole, and no token is returned before its commit: no token
 * leaves the broker without all its rows.
 *
 * - `beforeSign(draft)` runs before the link is signed, outside any transaction; it may only
 *   contribute link claims (and must not write rows that have to roll back with the token).
 *   Revocation (Token Status List) returns `{ status: { status_list: { idx, uri } } }` from a
 *   block of slots its replica reserved beforehand (a slot of a token that never commits stays
 *   unused, which the status list draft allows).
 * - `afterSign(results, manager)` returns the rows to write for the batch, as `RowWrite`s (a few
 *   for the whole batch, not one per token). It may read with `manager` (on PostgreSQL inside
 *   the batch's transaction, so a row it locks stays locked until the commit) and register
 *   `afterCommit` hooks on it, and must not write itself, nor read the batch's other rows.
 *   Audit returns one hash-chained event per token and the chain head's update, so the event
 *   exists exactly when the token does. A throw fails the whole batch.
 *
 * Register a participant in `ISSUANCE_PARTICIPANT_REGISTRATIONS` (issuance-participants.ts).
 */
export interface IssuanceParticipant {
  beforeSign?(draft: IssuanceDraft): Promise<LinkContribution | undefined>;
  afterSign?(
    results: readonly IssuanceResult[],
    manager: EntityManager,
  ): Promise<readonly RowWrite[]>;
}

/** DI token of the ordered list of IssuanceParticipant instances. */
export const ISSUANCE_PARTICIPANTS = Symbol('ISSUANCE_PARTICIPANTS');
