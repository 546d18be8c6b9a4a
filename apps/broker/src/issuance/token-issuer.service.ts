import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  delegatedTokenClaims,
  hashCompact,
  nestAct,
  signDelegatedToken,
  signLink,
} from '@baton/chain';
import {
  CHAIN_PROFILE_VERSION,
  type ActorClaim,
  type DelegatedTokenClaims,
  type LinkClaims,
  type SubjectTokenReference,
} from '@baton/chain/protocol';
import { AuditLog } from '../audit/audit-log.service.js';
import { tokenIssuedEvent } from '../audit/token-issued.event.js';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { IssuedTokenEntity } from '../database/issued-token.entity.js';
import { KeysService } from '../keys/keys.service.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { checkIssuableSize } from './issuable-size.js';
import { issuedTokenRecord } from './issued-token.record.js';

/** The chain a hop builds on: the verified subject token's links, act and reference. */
export interface PreviousHop {
  subject: SubjectTokenReference;
  /** Compact links of the subject token, oldest first (empty for an unchained origin token). */
  links: readonly string[];
  linkHashes: readonly string[];
  /** The subject token's act; undefined on an origin token. */
  act: ActorClaim | undefined;
}

/** Everything one hop decides; the issuer adds jti, link, act and chain. */
export interface HopRequest {
  grantType: string;
  clientId: string;
  sub: string;
  aud: string;
  scope: readonly string[];
  iat: number;
  exp: number;
  /** RFC 7638 thumbprint of the agent key (RFC 9449 §6.1 cnf.jkt). */
  jkt: string;
  /** The compact DPoP proof accepted for this hop (chain invariant 4). */
  proof: string;
  previous?: PreviousHop;
}

export interface IssuedToken {
  token: string;
  claims: DelegatedTokenClaims;
}

/**
 * Issues a delegated token (CONTRACT wire format): signs this hop's link, appends it to the
 * subject's chain, nests `act` for an exchange hop, signs the token, and records it in one
 * transaction. When the record cannot be written no token leaves the broker.
 */
@Injectable()
export class TokenIssuer {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly keys: KeysService,
    private readonly transactions: DatabaseTransactions,
    private readonly audit: AuditLog,
  ) {}

  async issue(hop: HopRequest): Promise<IssuedToken> {
    const key = await this.keys.getSigningKey();
    const linkClaims = this.linkClaims(hop, randomBytes(18).toString('base64url'));
    const link = await signLink(linkClaims, key);
    const links = [...(hop.previous?.links ?? []), link];
    const linkHashes = [...(hop.previous?.linkHashes ?? []), hashCompact(link)];
    const claims = tokenClaims(linkClaims, links, hop.previous);
    const token = await signDelegatedToken(claims, key);
    checkIssuableSize(token);
    const record = issuedTokenRecord(claims, {
      grantType: hop.grantType,
      parentJti: hop.previous?.subject.jti,
      parentIssuer: hop.previous?.subject.iss,
      tokenHash: hashCompact(token),
      linkHashes,
    });
    try {
      // The record and its audit event commit together, or neither does.
      await this.transactions.run(async (manager) => {
        await manager.insert(IssuedTokenEntity, record);
        await this.audit.append(
          manager,
          tokenIssuedEvent(claims, {
            grantType: hop.grantType,
            parentIssuer: hop.previous?.subject.iss,
            parentJti: hop.previous?.subject.jti,
            linkHash: record.linkHash,
          }),
        );
      });
    } catch (cause) {
      throw new OAuthError('server_error', 'the token could not be recorded', {
        status: 500,
        detail: `issued_token or its audit event failed for jti ${claims.jti}`,
        cause,
      });
    }
    return { token, claims };
  }

  private linkClaims(hop: HopRequest, jti: string): LinkClaims {
    const previousHashes = hop.previous?.linkHashes ?? [];
    const prev = previousHashes[previousHashes.length - 1];
    return {
      v: CHAIN_PROFILE_VERSION,
      iss: this.config.issuer,
      sub: hop.sub,
      aud: hop.aud,
      client_id: hop.clientId,
      scope: hop.scope.join(' '),
      iat: hop.iat,
      exp: hop.exp,
      jti,
      cnf: { jkt: hop.jkt },
      ...(prev === undefined ? {} : { prev }),
      ...(hop.previous === undefined ? {} : { sbj: { ...hop.previous.subject } }),
      dpop: hop.proof,
    };
  }
}

/** act gains one level per exchange hop (RFC 8693 §4.1); an origin grant has none. */
function tokenClaims(
  link: LinkClaims,
  links: string[],
  previous: PreviousHop | undefined,
): DelegatedTokenClaims {
  const act =
    previous === undefined
      ? undefined
      : nestAct(previous.act, { iss: link.iss, sub: link.client_id });
  return delegatedTokenClaims(link, links, act);
}
