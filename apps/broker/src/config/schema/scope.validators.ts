import { Matches, type ValidationOptions } from 'class-validator';

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Every element is one RFC 6749 scope token (no spaces, quotes or backslashes). */
export function IsScopeToken(options?: ValidationOptions): PropertyDecorator {
  return Matches(SCOPE_TOKEN, {
    each: true,
    message: '$property must hold RFC 6749 §3.3 scope tokens (no spaces, quotes or backslashes)',
    ...options,
  });
}
