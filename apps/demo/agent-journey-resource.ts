import * as oauth from 'oauth4webapi';

/** What the partner API answered. */
export interface ResourceAnswer {
  readonly status: number;
  /** Parsed JSON body (`undefined` when the body is not JSON). */
  readonly body: unknown;
  /** `WWW-Authenticate` challenge parameters of a refusal (`error`, `error_description`, …). */
  readonly challenge?: oauth.WWWAuthenticateChallengeParameters;
  /** The first attempt was refused with `use_dpop_nonce` and retried. */
  readonly retried: boolean;
  /** One line for a person: the status and the challenge's error, if any. */
  readonly summary: string;
}

/**
 * `GET url` with `Authorization: DPoP <token>` and a fresh DPoP proof (RFC 9449 §7: `ath` binds
 * the proof to the token), retried once when the server asks for a nonce. A refusal with a
 * `WWW-Authenticate` challenge is returned, not thrown, so callers can show or assert it.
 */
export async function callResource(
  token: string,
  url: string,
  dpop: oauth.DPoPHandle,
): Promise<ResourceAnswer> {
  try {
    return await attempt(token, url, dpop, false);
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) {
      throw error;
    }
    return attempt(token, url, dpop, true);
  }
}

async function attempt(
  token: string,
  url: string,
  dpop: oauth.DPoPHandle,
  retried: boolean,
): Promise<ResourceAnswer> {
  let response: Response;
  let challenge: oauth.WWWAuthenticateChallengeParameters | undefined;
  try {
    response = await oauth.protectedResourceRequest(
      token,
      'GET',
      new URL(url),
      new Headers(),
      null,
      {
        DPoP: dpop,
        [oauth.allowInsecureRequests]: true,
      },
    );
  } catch (error) {
    if (!(error instanceof oauth.WWWAuthenticateChallengeError) || oauth.isDPoPNonceError(error)) {
      throw error;
    }
    response = error.response;
    challenge = (error.cause.find((c) => c.scheme === 'dpop') ?? error.cause[0])?.parameters;
  }
  const text = await response.text();
  const body = parseJson(text);
  const summary =
    challenge === undefined
      ? `${response.status} ${response.statusText}`.trimEnd()
      : `${response.status} ${challenge.error ?? ''}${challenge.error_description === undefined ? '' : `: ${challenge.error_description}`}`;
  return { status: response.status, body, retried, summary, ...(challenge ? { challenge } : {}) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
