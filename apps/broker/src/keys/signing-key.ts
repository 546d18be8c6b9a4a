import type { CryptoKey, KeyObject } from 'jose';
import type { DomainSigningAlgorithm } from '@baton/chain/protocol';

/** The active signing key, in the shape libs/chain's `signLink`/`signDelegatedToken` take. */
export interface SigningKey {
  privateKey: CryptoKey | KeyObject;
  kid: string;
  alg: DomainSigningAlgorithm;
}
