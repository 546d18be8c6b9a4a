import { HOP_BINDING_CLAIM, HOP_BINDING_MEMBER_NAMES, type HopBinding } from '../protocol/index.js';
import { isNonEmptyString, isObject, type JsonObject } from './json.js';

/**
 * The `baton_hop` claim of a decoded DPoP proof payload: undefined when absent, `'malformed'`
 * when it is not an object of the version-1 members with string values (docs/chain-spec.md §3.1).
 */
export function readHopBinding(payload: JsonObject): HopBinding | undefined | 'malformed' {
  const value = payload[HOP_BINDING_CLAIM];
  if (value === undefined) {
    return undefined;
  }
  const known: readonly string[] = HOP_BINDING_MEMBER_NAMES;
  if (
    !isObject(value) ||
    !isNonEmptyString(value['sbj_hash'], 64) ||
    Object.entries(value).some(
      ([name, member]) => !known.includes(name) || !isNonEmptyString(member),
    )
  ) {
    return 'malformed';
  }
  return value as unknown as HopBinding;
}
