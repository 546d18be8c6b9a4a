import { isDPoPNonceError } from 'oauth4webapi';

/**
 * Sends a request and processes its response; when the server refuses with `use_dpop_nonce`
 * (RFC 9449 §8 at token endpoints, §9 at resources), oauth4webapi has cached the `DPoP-Nonce`
 * it sent, and the request is sent once more with it.
 */
export async function withNonceRetry<T>(
  send: () => Promise<Response>,
  process: (response: Response) => Promise<T>,
): Promise<{ result: T; retried: boolean }> {
  try {
    return { result: await process(await send()), retried: false };
  } catch (error) {
    if (!isDPoPNonceError(error)) {
      throw error;
    }
    return { result: await process(await send()), retried: true };
  }
}
