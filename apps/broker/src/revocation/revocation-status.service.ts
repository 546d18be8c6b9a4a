import { Inject, Injectable } from '@nestjs/common';
import { StatusListClient } from '@baton/chain';
import type { LinkClaims } from '@baton/chain/protocol';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { BatchedLookup } from '../database/batched-lookup.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { IssuedTokenEntity } from '../database/issued-token.entity.js';
import { RowStatements } from '../database/row-statements.js';

const ISSUED_TOKEN_REVOCATIONS = new RowStatements(IssuedTokenEntity);

/**
 * What this broker passes verifyChain for invariant 10: the status lists of every link's issuer
 * (fail-closed unless `revocation.failOpenIssuers` names the issuer), and, for links this
 * domain issued, its own records — so a revocation here is refused here at once, not a TTL later.
 */
@Injectable()
export class RevocationStatus {
  readonly statusLists: StatusListClient;
  /**
   * Revocation times by jti; concurrent checks share one query. A read does not wait for the
   * transaction in progress (`read`) and sees the revocations committed, which are the ones
   * `/revoke` has answered for.
   */
  private readonly revokedAt = new BatchedLookup<number | null>(async (jtis) => {
    const rows = await this.transactions.read((manager) =>
      ISSUED_TOKEN_REVOCATIONS.selectIn(manager, 'jti', jtis, ['jti', 'revokedAt']),
    );
    return new Map(rows.map((row) => [row.jti, row.revokedAt]));
  });

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly transactions: DatabaseTransactions,
  ) {
    this.statusLists = new StatusListClient({
      failOpenIssuers: config.revocation.failOpenIssuers,
      clockSkew: config.dpop.clockSkewSeconds,
    });
  }

  /**
   * verifyChain's `isRevoked`: true for a link this domain issued and has since revoked. A link
   * with no record here (expired rows deleted by retention) is left to the other checks.
   */
  readonly isRevokedHere = async (link: LinkClaims): Promise<boolean> => {
    if (link.iss !== this.config.issuer) {
      return false;
    }
    const revokedAt = await this.revokedAt.get(link.jti);
    return revokedAt !== undefined && revokedAt !== null;
  };
}
