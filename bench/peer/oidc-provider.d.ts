// Just the parts of oidc-provider 9 (which ships no types) that the bench peer and the interop
// tests use; the package's own default export is the same Provider class.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface TokenContext {
    oidc: {
      params: Record<string, string | undefined>;
      client: { clientId: string };
    };
    body: unknown;
  }

  export interface AccessTokenModel {
    resourceServer: unknown;
    scope?: string;
    expiration: number;
    save(): Promise<string>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    registerGrantType(
      name: string,
      handler: (ctx: TokenContext) => Promise<void>,
      parameters: readonly string[],
    ): void;
    ClientCredentials: new (fields: { client: unknown; scope?: string }) => AccessTokenModel;
    ResourceServer: new (identifier: string, info: Record<string, unknown>) => unknown;
  }

  export default Provider;

  export const errors: {
    InvalidGrant: new (description: string) => Error;
    InvalidRequest: new (description: string) => Error;
  };
}

declare module 'oidc-provider/lib/helpers/validate_dpop.js' {
  import type { Provider, TokenContext } from 'oidc-provider';
  export default function validateDpop(
    provider: Provider,
    ctx: TokenContext,
  ): Promise<{ thumbprint: string; jti: string } | undefined>;
}

declare module 'oidc-provider/lib/helpers/grant_common.js' {
  import type { AccessTokenModel, Provider, TokenContext } from 'oidc-provider';
  export function applyDpopBinding(
    provider: Provider,
    ctx: TokenContext,
    dPoP: { thumbprint: string },
    token: AccessTokenModel,
  ): Promise<void>;
}
