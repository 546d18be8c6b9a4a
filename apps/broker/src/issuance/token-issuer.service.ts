import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ChainError,
  hashCompact,
  LinkCache,
  type VerifiedChain,
  type VerifiedDpopProof,
} from '@baton/chain';
import { extendChain, originChain, type ChainHop, type IssuedChain } from '@baton/chain/issue';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import type { SingleUseClaim } from '../dpop/seen-jti.store.js';
import { KeysService } from '../keys/keys.service.js';
import { OAuthError } from '../oauth/oauth-error.js';
import {
  ISSUANCE_PARTICIPANTS,
  type IssuanceDraft,
  type IssuanceParticipant,
} from './issuance-participant.js';
import { issuanceRefusal } from './issuance-refusal.js';
import { checkRecordable, issuedTokenRecord } from './issued-token.record.js';
import { IssuanceWriter } from './issuance-writer.js';

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
  /** The DPoP proof this broker accepted for this hop (chain invariant 4), verified. */
  proof: VerifiedDpopProof;
  /** Proof and assertion identifiers, recorded with the token (single use). */
  singleUse: readonly SingleUseClaim[];
  /** The verified subject token this hop extends; absent on an origin grant. */
  subject?: VerifiedChain;
}

export type IssuedToken = IssuedChain;

/**
 * Issues a delegated token (docs/chain-spec.md §2–§3) through libs/chain's originChain or
 * extendChain, so it is exactly what verifiers accept. Signing runs concurrently, outside any
 * transaction; the IssuanceWriter then commits everything written about the token (see
 * IssuanceParticipant) with the other tokens signed meanwhile, and the token is returned only
 * after that commit: when any row cannot be written no token leaves the broker. The signatures of
 * a recorded token, its link and the link's proof are remembered in the broker's LinkCache, for
 * their exchange here.
 */
@Injectable()
export class TokenIssuer {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(ISSUANCE_PARTICIPANTS) private readonly participants: readonly IssuanceParticipant[],
    private readonly keys: KeysService,
    private readonly writer: IssuanceWriter,
    private readonly linkCache: LinkCache,
  ) {}

  async issue(request: HopRequest): Promise<IssuedToken> {
    try {
      const { grantType, subject } = request;
      checkRecordable(request.sub, subject?.claims.jti);
      const issued = await this.sign(request);
      const record = issuedTokenRecord(issued, {
        grantType,
        parentJti: subject?.claims.jti,
        parentIssuer: subject?.claims.iss,
      });
      const result = { grantType, issued, record, subject };
      await this.writer.write({ singleUse: request.singleUse, now: request.iat, result });
      this.rememberSignatures(issued, request);
      return issued;
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

  /** The link and token, with the participants' contributions; nothing is written yet. */
  private async sign(request: HopRequest): Promise<IssuedChain> {
    const key = await this.keys.getSigningKey();
    const { grantType, subject } = request;
    const draft: IssuanceDraft = { grantType, subject, hop: this.chainHop(request) };
    let hop: ChainHop = { ...draft.hop };
    for (const participant of this.participants) {
      const contribution = await participant.beforeSign?.(draft);
      hop = { ...hop, ...contribution };
    }
    const { maxChainDepth, maxTokenBytes } = this.config.policy;
    const options = { maxDepth: maxChainDepth, maxTokenBytes };
    return subject === undefined
      ? originChain(hop, key, options)
      : extendChain(subject, hop, key, options);
  }

  /**
   * The token and the link this broker just signed with its current key, which its JWKS (and so
   * its own TrustStore entry) publishes, and the DPoP proof whose signature it verified and put
   * in the link: checking them again when the token comes back for exchange would recompute
   * what the broker knows.
   */
  private rememberSignatures(issued: IssuedChain, request: HopRequest): void {
    const { issuer } = this.config;
    const now = request.iat;
    this.linkCache.rememberSignature(issued.tokenHash, issuer, now);
    this.linkCache.rememberSignature(issued.linkHashes[issued.linkHashes.length - 1], issuer, now);
    this.linkCache.rememberSignature(hashCompact(request.proof.compact), request.proof.jkt, now);
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
      dpop: request.proof.compact,
    };
  }
}
