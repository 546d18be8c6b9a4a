import { Inject, Injectable } from '@nestjs/common';
import { ChainError, verifyDpopProof, type VerifiedDpopProof } from '@baton/chain';
import { DPOP_ALGORITHMS } from '@baton/chain/protocol';
import type { IncomingHttpHeaders } from 'node:http';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { oauthErrorFromChain } from '../oauth/chain-error.map.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { tokenEndpointOf } from '../discovery/authorization-server-metadata.js';
import { DpopNonceService } from './dpop-nonce.service.js';
import { DpopReplayStore } from './dpop-replay.store.js';

/**
 * The token endpoint's DPoP check (RFC 9449 §4.3, every step, through libs/chain's one
 * implementation): `htm` POST, `htu` the token endpoint derived from the configured issuer,
 * single use across replicas, and the server nonce when this domain requires one (§8).
 */
@Injectable()
export class DpopProofService {
  private readonly tokenEndpoint: string;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly replayStore: DpopReplayStore,
    private readonly nonces: DpopNonceService,
  ) {
    this.tokenEndpoint = tokenEndpointOf(config.issuer);
  }

  /** The nonce to advertise in `DPoP-Nonce` on this response. */
  currentNonce(): string {
    return this.nonces.current();
  }

  async verify(headers: IncomingHttpHeaders, now: number): Promise<VerifiedDpopProof> {
    const proof = singleProof(headers['dpop']);
    const { dpop } = this.config;
    try {
      return await verifyDpopProof(proof, {
        method: 'POST',
        now,
        url: this.tokenEndpoint,
        algorithms: DPOP_ALGORITHMS,
        maxAge: dpop.maxAgeSeconds,
        clockSkew: dpop.clockSkewSeconds,
        replayStore: this.replayStore,
        ...(dpop.requireNonce
          ? { nonce: (nonce: string | undefined) => this.nonces.isValid(nonce, now) }
          : {}),
      });
    } catch (error) {
      if (error instanceof ChainError) {
        // RFC 9449 §8: use_dpop_nonce carries the nonce to use in DPoP-Nonce.
        throw oauthErrorFromChain(error, undefined, { 'DPoP-Nonce': this.nonces.current(now) });
      }
      throw error;
    }
  }
}

function singleProof(header: string | string[] | undefined): string {
  if (header === undefined || header === '') {
    throw new OAuthError('invalid_dpop_proof', 'a DPoP proof is required at this token endpoint');
  }
  // RFC 9449 §4.3 step 1: exactly one DPoP header; Node joins repeats with ", ".
  if (Array.isArray(header) || header.includes(',')) {
    throw new OAuthError('invalid_dpop_proof', 'exactly one DPoP header is allowed');
  }
  return header;
}
