import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { publicJwkSetProblem } from '@baton/chain/protocol';

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
