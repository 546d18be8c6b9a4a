import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { PRIVATE_JWK_MEMBERS } from '@baton/chain/protocol';

/** Why a value is not a JWK Set of public keys (RFC 7517 §5), or undefined when it is. */
export function publicJwkSetProblem(value: unknown): string | undefined {
  if (
    typeof value !== 'object' ||
    value === null ||
    !Array.isArray((value as { keys?: unknown }).keys)
  ) {
    return 'must be a JWK Set: an object with a "keys" array (RFC 7517 §5)';
  }
  const keys = (value as { keys: unknown[] }).keys;
  if (keys.length === 0) {
    return 'must contain at least one key';
  }
  for (const [index, key] of keys.entries()) {
    if (
      typeof key !== 'object' ||
      key === null ||
      typeof (key as { kty?: unknown }).kty !== 'string'
    ) {
      return `keys[${index}] must be a JWK with a "kty" member (RFC 7517 §4.1)`;
    }
    const secret = PRIVATE_JWK_MEMBERS.find((member) => member in key);
    if (secret !== undefined) {
      return `keys[${index}] must be a public key (it has the private member "${secret}")`;
    }
  }
  return undefined;
}

/** A JWK Set holding public keys only. */
export function IsPublicJwkSet(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPublicJwkSet',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => publicJwkSetProblem(value) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'jwks'} ${publicJwkSetProblem(args?.value) ?? 'is invalid'}`,
      },
    });
  };
}
