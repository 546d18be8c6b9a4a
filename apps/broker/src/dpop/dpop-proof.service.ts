import { Inject, Injectable } from '@nestjs/common';
import { ChainError, DpopProofError, verifyDpopProof, type VerifiedDpopProof } from '@baton/chain';
import { DPOP_ALGORITHMS, tokenEndpointOf } from '@baton/chain/protocol';
import type { IncomingHttpHeaders } from 'node:http';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { oauthErrorFromChain } from '../oauth/chain-error.map.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { DpopNonceService } from './dpop-nonce.service.js';
import { SeenJtiStore, type SingleUseClaim } from './seen-jti.store.js';

/** A verified proof and the replay row the issuance transaction records for it. */
export interface AcceptedDpopProof {
  proof: VerifiedDpopProof;
  singleUse: SingleUseClaim;
}

/**
 * The token endpoint's DPoP check (RFC 9449 §4.3, every step, through libs/chain's one
 * implementation): `htm` POST, `htu` the token endpoint derived from the configured issuer,
 * single use across replicas (checked here, recorded by the issuance transaction), and the
 * server nonce when this domain requires one (§8).
 */
@Injectable()
export class DpopProofService {
  private readonly tokenEndpoint: string;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly seen: SeenJtiStore,
    private readonly nonces: DpopNonceService,
  ) {
    this.tokenEndpoint = tokenEndpointOf(config.issuer);
  }

  /** The nonce to advertise in `DPoP-Nonce` on this response. */
  currentNonce(): string {
    return this.nonces.current();
  }

  async verify(headers: IncomingHttpHeaders, now: number): Promise<AcceptedDpopProof> {
    const compact = singleProof(headers['dpop']);
    const { dpop } = this.config;
    let singleUse: SingleUseClaim | undefined;
    const replayStore = {
      checkAndStore: (key: string, expiresAt: number): Promise<boolean> => {
        singleUse = { purpose: 'dpop', key, expiresAt, refusal: () => this.replayRefusal(now) };
        return this.seen.isUnused('dpop', key, now);
      },
    };
    try {
      const proof = await verifyDpopProof(compact, {
        method: 'POST',
        now,
        url: this.tokenEndpoint,
        algorithms: DPOP_ALGORITHMS,
        maxAge: dpop.maxAgeSeconds,
        clockSkew: dpop.clockSkewSeconds,
        replayStore,
        ...(dpop.requireNonce
          ? { nonce: (nonce: string | undefined) => this.nonces.isValid(nonce, now) }
          : {}),
      });
      if (singleUse === undefined) {
        throw new Error('verifyDpopProof accepted a proof without consulting the replay store');
      }
      return { proof, singleUse };
    } catch (error) {
      throw error instanceof ChainError ? this.refusal(error, now) : error;
    }
  }

  /** RFC 9449 §11.1: the refusal of a proof another request used first. */
  private replayRefusal(now: number): OAuthError {
    return this.refusal(
      new DpopProofError('ERR_DPOP_REPLAY', 'DPoP proof already used', { claim: 'jti' }),
      now,
    );
  }

  /** RFC 9449 §8: use_dpop_nonce carries the nonce to use in DPoP-Nonce. */
  private refusal(error: ChainError, now: number): OAuthError {
    return oauthErrorFromChain(error, undefined, { 'DPoP-Nonce': this.nonces.current(now) });
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
