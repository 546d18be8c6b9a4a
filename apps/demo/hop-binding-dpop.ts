import * as oauth from 'oauth4webapi';
import { HOP_BINDING_CLAIM, type HopBinding } from '@baton/chain/protocol';

/** An oauth4webapi DPoP handle whose token-exchange proofs carry the agent's `baton_hop`. */
export interface HopBindingDPoP {
  readonly handle: oauth.DPoPHandle;
  /** Runs `request` with every proof it makes bound to `binding` (docs/chain-spec.md §3.1). */
  bound<T>(binding: HopBinding, request: () => Promise<T>): Promise<T>;
}

/**
 * oauth4webapi's `modifyAssertion` hook lets the caller add claims to each DPoP proof before it
 * is signed; the binding is set only while one exchange (and its nonce retry) runs, so
 * client_credentials and resource requests carry none. Requests must not overlap.
 */
export function hopBindingDPoP(client: oauth.Client, keyPair: oauth.CryptoKeyPair): HopBindingDPoP {
  let current: HopBinding | undefined;
  const handle = oauth.DPoP(client, keyPair, {
    [oauth.modifyAssertion]: (_header, payload) => {
      if (current !== undefined) {
        payload[HOP_BINDING_CLAIM] = { ...current };
      }
    },
  });
  return {
    handle,
    async bound(binding, request) {
      current = binding;
      try {
        return await request();
      } finally {
        current = undefined;
      }
    },
  };
}
