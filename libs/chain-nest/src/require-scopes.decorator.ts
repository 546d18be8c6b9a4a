import { SetMetadata, type CustomDecorator } from '@nestjs/common';

export const REQUIRED_SCOPES_METADATA = 'baton:required-scopes';

/**
 * Scopes the delegated token must grant for this route (or every route of this controller;
 * class and method scopes add up). Checked by {@link DelegationGuard} after the chain and the
 * request's DPoP proof verify; a token without them gets 403 `insufficient_scope`.
 *
 * @example
 * @Get('orders') @RequireScopes('orders:read') list(@Delegation() d: VerifiedRequest) {}
 */
export function RequireScopes(...scopes: string[]): CustomDecorator<string> {
  return SetMetadata(REQUIRED_SCOPES_METADATA, scopes);
}
