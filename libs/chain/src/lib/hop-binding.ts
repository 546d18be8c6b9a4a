import { decodeJwt, type JWTPayload } from 'jose';
import { DpopProofError } from './errors.js';
import { sha256Base64url } from './hash.js';
import { readHopBinding } from './hop-binding-shape.js';
import { isObject, parseScope } from './json.js';
import { CHAIN_CLAIM, HOP_BINDING_CLAIM, type HopBinding } from '../protocol/index.js';

/** What the agent asks for at a token exchange, besides the subject token. */
export interface HopRequestTarget {
  /** The RFC 8693 `audience` or RFC 8707 `resource` parameter sent, if any. */
  audience?: string;
  /** The `scope` parameter sent, if any (space-separated). */
  scope?: string;
}

/**
 * The `baton_hop` claim (HOP_BINDING_CLAIM) an agent puts into its DPoP proof for an RFC 8693
 * token exchange (docs/chain-spec.md §3.1): `sbj_hash` = hash of the subject token, `prev` =
 * hash of the subject token's own (last) link when it carries a chain, and the requested
 * `audience`/`resource` and `scope` when given. Every verifier can check `prev` against the
 * chain, so the proof cannot be used to extend any other chain.
 *
 * Does not verify the subject token; a token that cannot be decoded gets a binding without `prev`.
 *
 * @example
 * const dpop = oauth.DPoP(client, keyPair, {
 *   [oauth.modifyAssertion]: (_header, payload) => {
 *     payload[HOP_BINDING_CLAIM] = hopBinding(subjectToken, { audience, scope });
 *   },
 * });
 */
export function hopBinding(subjectToken: string, target: HopRequestTarget = {}): HopBinding {
  const prev = lastLinkHash(subjectToken);
  return {
    sbj_hash: sha256Base64url(subjectToken),
    ...(prev === undefined ? {} : { prev }),
    ...(target.audience === undefined ? {} : { aud: target.audience }),
    ...(target.scope === undefined ? {} : { scope: target.scope }),
  };
}

/**
 * The token endpoint's check of a DPoP proof's `baton_hop` claim against the request it came
 * with (docs/chain-spec.md §3.1). Returns the binding, or undefined when the proof carries none
 * (a standard client). With no `subjectToken` (an origin grant), any binding is refused.
 * Call it after verifyDpopProof accepted the proof.
 *
 * @example verifyHopBinding(proof.compact, { subjectToken, audience: form.get('audience'), scope: form.get('scope') })
 * @throws DpopProofError `ERR_DPOP_PROOF` with `detail.claim` `baton_hop`, `baton_hop.sbj_hash`,
 *   `baton_hop.prev`, `baton_hop.aud` or `baton_hop.scope`.
 */
export function verifyHopBinding(
  proof: string,
  request: ({ subjectToken: string } & HopRequestTarget) | undefined,
): HopBinding | undefined {
  let payload: JWTPayload;
  try {
    payload = decodeJwt(proof);
  } catch (cause) {
    throw mismatch('proof', 'not a compact JWS', cause);
  }
  const binding = readHopBinding(payload);
  if (binding === undefined) {
    return undefined;
  }
  if (binding === 'malformed' || request === undefined) {
    throw mismatch(HOP_BINDING_CLAIM, 'is malformed or not expected with this grant');
  }
  const expected = hopBinding(request.subjectToken);
  if (binding.sbj_hash !== expected.sbj_hash) {
    throw mismatch(`${HOP_BINDING_CLAIM}.sbj_hash`, 'does not match the subject token');
  }
  if (binding.prev !== expected.prev) {
    throw mismatch(`${HOP_BINDING_CLAIM}.prev`, "does not match the subject token's last link");
  }
  if (binding.aud !== undefined && binding.aud !== request.audience) {
    throw mismatch(`${HOP_BINDING_CLAIM}.aud`, 'does not match the requested audience');
  }
  if (binding.scope !== undefined && !sameScope(binding.scope, request.scope)) {
    throw mismatch(`${HOP_BINDING_CLAIM}.scope`, 'does not match the requested scope');
  }
  return binding;
}

function sameScope(bound: string, requested: string | undefined): boolean {
  if (requested === undefined) {
    return false;
  }
  const a = parseScope(bound);
  const b = new Set(parseScope(requested));
  return a.length === b.size && a.every((s) => b.has(s));
}

function lastLinkHash(token: string): string | undefined {
  try {
    const chain = decodeJwt(token)[CHAIN_CLAIM];
    const links = isObject(chain) ? chain['links'] : undefined;
    const last = Array.isArray(links) ? (links.at(-1) as unknown) : undefined;
    return typeof last === 'string' ? sha256Base64url(last) : undefined;
  } catch {
    return undefined;
  }
}

function mismatch(claim: string, problem: string, cause?: unknown): DpopProofError {
  const subject = claim === 'proof' ? 'DPoP proof' : `DPoP proof ${claim}`;
  return new DpopProofError('ERR_DPOP_PROOF', `${subject} ${problem}`, { claim, cause });
}
