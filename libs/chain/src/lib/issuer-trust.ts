import type { CryptoKey } from 'jose';
import type { IssuerRole } from '../protocol/index.js';

/** The part of a trust set the checks consult; TrustStore implements it. */
export interface IssuerTrust {
  isTrusted(issuer: string, role: IssuerRole): boolean;
  getVerificationKey(issuer: string, header: { kid?: string; alg?: string }): Promise<CryptoKey>;
  getTokenEndpoint(issuer: string): Promise<string>;
}
