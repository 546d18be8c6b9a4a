import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { VerifiedRequest } from '@baton/chain';

const DELEGATION = Symbol.for('baton.delegation');

/** Attaches the verified delegation to the request object (done by {@link DelegationGuard}). */
export function attachDelegation(req: object, verified: VerifiedRequest): void {
  Object.defineProperty(req, DELEGATION, {
    value: verified,
    enumerable: false,
    configurable: true,
  });
}

/** The verified delegation of a request the guard accepted, or undefined. */
export function getDelegation(req: object): VerifiedRequest | undefined {
  return (req as { [DELEGATION]?: VerifiedRequest })[DELEGATION];
}

/**
 * Hands the route the {@link VerifiedRequest} (chain, hops, agent key, proof) the guard
 * verified. Throws when the guard did not run on the route, so a missing guard fails loudly
 * instead of handing the controller nothing.
 */
export const Delegation = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
  const verified = getDelegation(ctx.switchToHttp().getRequest<object>());
  if (verified === undefined) {
    throw new Error('@Delegation() used on a route that DelegationGuard does not protect');
  }
  return verified;
});
