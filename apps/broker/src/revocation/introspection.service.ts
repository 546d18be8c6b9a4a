import { Inject, Injectable } from '@nestjs/common';
import { ChainError, hashCompact, TrustStore, verifyChain, type VerifiedChain } from '@baton/chain';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { IssuedTokenEntity } from '../database/issued-token.entity.js';
import { RevocationStatus } from './revocation-status.service.js';

/** RFC 7662 §2.2 answer: `{ active: false }` or the token's claims and its verified chain. */
export type IntrospectionResponse =
  { active: false } | ({ active: true } & Record<string, unknown>);

const INACTIVE = { active: false } as const;

/**
 * Vouches only for a token this domain issued and recorded, not revoked, whose whole chain
 * verifies now — signatures, every invariant and every link's status — with the rules
 * verifyChain applies anywhere (audience: the token's own). Anything else is `active: false`.
 */
@Injectable()
export class IntrospectionService {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly transactions: DatabaseTransactions,
    private readonly trust: TrustStore,
    private readonly status: RevocationStatus,
  ) {}

  async introspect(token: string): Promise<IntrospectionResponse> {
    const row = await this.transactions.serialized((manager) =>
      manager.findOneBy(IssuedTokenEntity, { tokenHash: hashCompact(token) }),
    );
    if (row === null || row.revokedAt !== null) {
      return INACTIVE;
    }
    let chain: VerifiedChain;
    try {
      chain = await verifyChain(token, {
        trust: this.trust,
        audience: row.aud,
        now: epochSeconds(this.clock),
        clockSkew: this.config.dpop.clockSkewSeconds,
        maxDepth: this.config.policy.maxChainDepth,
        isRevoked: this.status.isRevokedHere,
        statusLists: this.status.statusLists,
      });
    } catch (error) {
      if (error instanceof ChainError) {
        return INACTIVE;
      }
      throw error;
    }
    return activeResponse(chain);
  }
}

/** RFC 7662 §2.2 members, RFC 9449 §6.2 `cnf`, RFC 8693 `act`, and the chain's summary. */
function activeResponse(chain: VerifiedChain): IntrospectionResponse {
  const claims = chain.claims;
  return {
    active: true,
    iss: claims['iss'],
    sub: chain.subject,
    aud: claims['aud'],
    client_id: claims['client_id'],
    scope: chain.scope.join(' '),
    iat: claims['iat'],
    exp: claims['exp'],
    jti: claims['jti'],
    token_type: 'DPoP',
    cnf: { jkt: chain.agentKeyThumbprint },
    ...('act' in claims && claims.act !== undefined ? { act: claims.act } : {}),
    baton_chain: {
      depth: chain.depth,
      origin_issuer: chain.originIssuer,
      hops: chain.hops.map((hop) => ({
        iss: hop.domain,
        client_id: hop.actor,
        aud: hop.audience,
        scope: hop.scope.join(' '),
        jti: hop.jti,
        exp: hop.exp,
      })),
      link_hashes: chain.linkHashes,
    },
  };
}
