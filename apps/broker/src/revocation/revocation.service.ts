import { Inject, Injectable } from '@nestjs/common';
import { hashCompact } from '@baton/chain';
import { In, IsNull, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { tokenRevokedEvent, type RevokedToken } from '../audit/token-revoked.event.js';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { IssuedTokenEntity } from '../database/issued-token.entity.js';

/** What an administrator revokes: one token (by issuer and jti), or everything of a subject, agent key or client. */
export type RevocationTarget =
  | { by: 'token'; iss: string; jti: string }
  | { by: 'subject'; sub: string }
  | { by: 'agent_key'; jkt: string }
  | { by: 'client'; clientId: string };

/** The outcome of a client's RFC 7009 request. */
export type ClientRevocation = 'revoked' | 'unknown' | 'not_issued_to_client';

/** Why a revocation was asked, and by whom (never a credential): the audit event's fields. */
interface RevocationCause {
  reason: 'rfc7009' | 'administrator';
  requestedBy: string;
}

/** Parameters per statement, under SQLite's and PostgreSQL's limits. */
const CHUNK = 500;

/**
 * Revokes tokens this domain issued, and — in the same transaction — every token this domain
 * derived from them by exchange, transitively (`parent_issuer` = this domain, `parent_jti`).
 * Tokens other domains derived are withdrawn through this domain's status list: their chains
 * carry the revoked link, and verifiers check every link.
 */
@Injectable()
export class RevocationService {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly transactions: DatabaseTransactions,
    private readonly audit: AuditLog,
  ) {}

  /**
   * RFC 7009 §2.1: revoke `token` if this domain issued it to `clientId`. The token is found by
   * its exact hash, which only the token as issued has: anything else is unknown (§2.2).
   */
  async revokeForClient(token: string, clientId: string): Promise<ClientRevocation> {
    const tokenHash = hashCompact(token);
    return this.transactions.run(async (manager) => {
      const row = await manager.findOne(IssuedTokenEntity, {
        select: { jti: true, clientId: true },
        where: { tokenHash },
      });
      if (row === null) {
        return 'unknown';
      }
      if (row.clientId !== clientId) {
        return 'not_issued_to_client';
      }
      await this.cascade(manager, [row.jti], { reason: 'rfc7009', requestedBy: clientId });
      return 'revoked';
    });
  }

  /** Revokes every token matching `target` and their descendants here; returns their jtis. */
  async revoke(target: RevocationTarget): Promise<string[]> {
    return this.transactions.run(async (manager) => {
      const roots = await manager.find(IssuedTokenEntity, {
        select: { jti: true },
        where: this.rootsOf(target),
      });
      return this.cascade(
        manager,
        roots.map((row) => row.jti),
        { reason: 'administrator', requestedBy: 'administrator' },
      );
    });
  }

  /**
   * A token of this domain by its jti; for another issuer, the tokens this domain derived from
   * that issuer's token (its descendants are then found by the cascade).
   */
  private rootsOf(target: RevocationTarget): FindOptionsWhere<IssuedTokenEntity> {
    switch (target.by) {
      case 'token':
        return target.iss === this.config.issuer
          ? { jti: target.jti }
          : { parentIssuer: target.iss, parentJti: target.jti };
      case 'subject':
        return { sub: target.sub };
      case 'agent_key':
        return { cnfJkt: target.jkt };
      case 'client':
        return { clientId: target.clientId };
    }
  }

  /**
   * Marks `roots` and their descendants here revoked (already revoked ones keep their time), and
   * appends one `token.revoked` audit event per newly revoked token in the same transaction.
   */
  private async cascade(
    manager: EntityManager,
    roots: string[],
    cause: RevocationCause,
  ): Promise<string[]> {
    const now = epochSeconds(this.clock);
    const seen = new Set<string>();
    const rootSet = new Set(roots);
    let frontier = roots;
    while (frontier.length > 0) {
      frontier.forEach((jti) => seen.add(jti));
      const next: string[] = [];
      for (let i = 0; i < frontier.length; i += CHUNK) {
        const chunk = frontier.slice(i, i + CHUNK);
        const revoking = await manager.find(IssuedTokenEntity, {
          select: { jti: true, sub: true, cnfJkt: true, parentIssuer: true, parentJti: true },
          where: { jti: In(chunk), revokedAt: IsNull() },
        });
        await manager.update(
          IssuedTokenEntity,
          { jti: In(chunk), revokedAt: IsNull() },
          { revokedAt: now },
        );
        for (const row of revoking) {
          await this.audit.append(
            manager,
            tokenRevokedEvent(now, this.revokedToken(row, rootSet, cause)),
          );
        }
        const children = await manager.find(IssuedTokenEntity, {
          select: { jti: true },
          where: { parentIssuer: this.config.issuer, parentJti: In(chunk) },
        });
        next.push(...children.map((row) => row.jti).filter((jti) => !seen.has(jti)));
      }
      frontier = [...new Set(next)];
    }
    return [...seen];
  }

  private revokedToken(
    row: IssuedTokenEntity,
    roots: ReadonlySet<string>,
    cause: RevocationCause,
  ): RevokedToken {
    const parent =
      roots.has(row.jti) || row.parentIssuer === null || row.parentJti === null
        ? undefined
        : { iss: row.parentIssuer, jti: row.parentJti };
    return {
      iss: this.config.issuer,
      jti: row.jti,
      reason: parent === undefined ? cause.reason : 'cascade',
      requestedBy: cause.requestedBy,
      ...(parent === undefined ? {} : { cascadeFrom: parent }),
      subject: row.sub,
      cnfJkt: row.cnfJkt,
    };
  }
}
