import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ChainError, type VerifiedChain } from '@baton/chain';
import {
  extendChain,
  originChain,
  type ChainHop,
  type IssuedChain,
  type SigningKey,
} from '@baton/chain/issue';
import type { EntityManager } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { IssuedTokenEntity } from '../database/issued-token.entity.js';
import { SeenJtiStore, type SingleUseClaim } from '../dpop/seen-jti.store.js';
import { KeysService } from '../keys/keys.service.js';
import { OAuthError } from '../oauth/oauth-error.js';
import {
  ISSUANCE_PARTICIPANTS,
  type IssuanceDraft,
  type IssuanceParticipant,
} from './issuance-participant.js';
import { issuanceRefusal } from './issuance-refusal.js';
import { issuedTokenRecord } from './issued-token.record.js';

/** Everything one hop decides; the issuer adds `iss`, `jti`, the link and the chain. */
export interface HopRequest {
  grantType: string;
  clientId: string;
  sub: string;
  aud: string;
  scope: readonly string[];
  /** Epoch seconds: the request's `now`. */
  iat: number;
  exp: number;
  /** RFC 7638 thumbprint of the agent key (RFC 9449 §6.1 cnf.jkt). */
  jkt: string;
  /** The compact DPoP proof accepted for this hop (chain invariant 4). */
  proof: string;
  /** Proof and assertion identifiers, recorded with the token (single use). */
  singleUse: readonly SingleUseClaim[];
  /** The verified subject token this hop extends; absent on an origin grant. */
  subject?: VerifiedChain;
}

export type IssuedToken = IssuedChain;

/**
 * Issues a delegated token (docs/chain-spec.md §2–§3) through libs/chain's originChain or
 * extendChain, so it is exactly what verifiers accept, in one transaction with everything
 * written about it (see IssuanceParticipant): a token costs one commit, and when any row cannot
 * be written no token leaves the broker.
 */
@Injectable()
export class TokenIssuer {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(ISSUANCE_PARTICIPANTS) private readonly participants: readonly IssuanceParticipant[],
    private readonly keys: KeysService,
    private readonly transactions: DatabaseTransactions,
    private readonly seen: SeenJtiStore,
  ) {}

  async issue(request: HopRequest): Promise<IssuedToken> {
    const key = await this.keys.getSigningKey();
    try {
      return await this.transactions.run((tx) => this.issueIn(tx, request, key));
    } catch (error) {
      if (error instanceof OAuthError) {
        throw error;
      }
      if (error instanceof ChainError) {
        throw issuanceRefusal(error);
      }
      throw new OAuthError('server_error', 'the token could not be recorded', {
        status: 500,
        detail: 'the issuance transaction failed',
        cause: error,
      });
    }
  }

  private async issueIn(
    tx: EntityManager,
    request: HopRequest,
    key: SigningKey,
  ): Promise<IssuedToken> {
    await this.seen.record(tx, request.singleUse, request.iat);
    const { grantType, subject } = request;
    const draft: IssuanceDraft = { grantType, subject, hop: this.chainHop(request) };
    let hop: ChainHop = { ...draft.hop };
    for (const participant of this.participants) {
      const contribution = await participant.beforeSign?.(draft, tx);
      hop = { ...hop, ...contribution };
    }
    const { maxChainDepth, maxTokenBytes } = this.config.policy;
    const options = { maxDepth: maxChainDepth, maxTokenBytes };
    const issued =
      subject === undefined
        ? await originChain(hop, key, options)
        : await extendChain(subject, hop, key, options);
    const record = issuedTokenRecord(issued, {
      grantType,
      parentJti: subject?.claims.jti,
      parentIssuer: subject?.claims.iss,
    });
    await tx.insert(IssuedTokenEntity, record);
    for (const participant of this.participants) {
      await participant.afterSign?.({ grantType, issued, record, subject }, tx);
    }
    return issued;
  }

  private chainHop(request: HopRequest): ChainHop {
    return {
      iss: this.config.issuer,
      sub: request.sub,
      aud: request.aud,
      client_id: request.clientId,
      scope: request.scope.join(' '),
      iat: request.iat,
      exp: request.exp,
      jti: randomBytes(18).toString('base64url'),
      jkt: request.jkt,
      dpop: request.proof,
    };
  }
}
