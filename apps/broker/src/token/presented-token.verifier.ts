import { Inject, Injectable } from '@nestjs/common';
import { ChainError, LinkCache, TrustStore, verifyChain, type VerifiedChain } from '@baton/chain';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { oauthErrorFromChain } from '../oauth/chain-error.map.js';
import { RevocationStatus } from '../revocation/revocation-status.service.js';

/**
 * Verifies a token presented for exchange (subject or actor) with libs/chain — the same rules a
 * resource server applies — addressed to this domain, accepting an external `origin` issuer's
 * unchained token as the start of a chain.
 */
@Injectable()
export class PresentedTokenVerifier {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly trust: TrustStore,
    private readonly status: RevocationStatus,
    /** Shared with TokenIssuer, which remembers there what this broker signed (IssuanceModule). */
    private readonly linkCache: LinkCache,
  ) {}

  async verify(
    token: string,
    about: 'subject_token' | 'actor_token',
    now: number,
  ): Promise<VerifiedChain> {
    try {
      return await verifyChain(token, {
        trust: this.trust,
        audience: this.config.issuer,
        now,
        clockSkew: this.config.dpop.clockSkewSeconds,
        maxDepth: this.config.policy.maxChainDepth,
        maxTokenBytes: this.config.policy.maxTokenBytes,
        requireBoundHopProofs: this.config.policy.requireBoundHopProofs,
        linkCache: this.linkCache,
        allowUnchained: true,
        isRevoked: this.status.isRevokedHere,
        statusLists: this.status.statusLists,
      });
    } catch (error) {
      if (error instanceof ChainError) {
        throw oauthErrorFromChain(error, about);
      }
      throw error;
    }
  }
}
