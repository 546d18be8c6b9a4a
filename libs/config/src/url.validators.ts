import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { endpointUrlProblem, issuerUrlProblem } from '@baton/chain/protocol';
import { baseUrlProblem } from './url-rules.js';

function urlDecorator(name: string, rule: (value: unknown) => string | undefined) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target: object, propertyName: string | symbol) => {
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName as string,
        options,
        validator: {
          validate: (value: unknown) => rule(value) === undefined,
          defaultMessage: (args?: ValidationArguments) =>
            `${args?.property ?? 'value'} ${rule(args?.value) ?? 'is invalid'}`,
        },
      });
    };
}

/** An issuer identifier: https (http on loopback), no query, fragment or trailing slash. */
export const IsIssuerUrl = urlDecorator('isIssuerUrl', issuerUrlProblem);
/** An endpoint URL: https (http on loopback), no credentials or fragment. */
export const IsEndpointUrl = urlDecorator('isEndpointUrl', endpointUrlProblem);
/** A base URL or resource identifier: https (http on loopback), no credentials, query or fragment. */
export const IsBaseUrl = urlDecorator('isBaseUrl', baseUrlProblem);
