import { SignJWT, type JWTPayload } from 'jose';
import { encodeStatusBytes, type StatusList } from '../lib/status-list-encoding.js';
import { STATUS_LIST_TYP, type StatusListTokenClaims } from '../protocol/index.js';
import type { SigningKey } from './issue-chain.js';

/**
 * Signs a Status List Token (draft-ietf-oauth-status-list, "Status List Token in JWT Format": `typ` `statuslist+jwt`, `sub` =
 * the uri referenced tokens name, `iat`, optional `exp` and `ttl`) with a domain key.
 */
export function signStatusListToken(
  claims: Omit<StatusListTokenClaims, 'status_list'>,
  list: StatusList,
  key: SigningKey,
): Promise<string> {
  const payload: StatusListTokenClaims = {
    ...claims,
    status_list: { bits: list.bits, lst: encodeStatusBytes(list.bytes) },
  };
  return new SignJWT(payload as unknown as JWTPayload)
    .setProtectedHeader({ alg: key.alg, typ: STATUS_LIST_TYP, kid: key.kid })
    .sign(key.privateKey);
}
