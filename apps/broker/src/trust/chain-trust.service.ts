import { Inject, Injectable } from '@nestjs/common';
import type { VerifiedChain } from '@baton/chain';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { chainPolicyOf, type ChainPolicy } from './chain-policy.js';
import { targetPolicyOf, type TargetPolicy } from './audience.policy.js';

/**
 * The one place the token endpoint asks who presented a chain and what it may do here: the
 * policy of every trusted peer and IdP the chain came through, and the audiences this domain
 * may address at all.
 */
@Injectable()
export class ChainTrust {
  readonly targets: TargetPolicy;

  constructor(@Inject(BROKER_CONFIG) private readonly config: BrokerConfig) {
    this.targets = targetPolicyOf(config);
  }

  policyFor(subject: VerifiedChain): ChainPolicy {
    return chainPolicyOf(this.config, subject);
  }
}
