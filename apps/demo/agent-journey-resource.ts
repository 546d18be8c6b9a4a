import { BatonAgent, type AgentKey } from '@baton/agent';

/** What the partner API answered. */
export interface ResourceAnswer {
  readonly status: number;
  /** Parsed JSON body (`undefined` when the body is not JSON). */
  readonly body: unknown;
  /** `WWW-Authenticate` challenge parameters of a refusal (`error`, `error_description`, …). */
  readonly challenge?: Readonly<Record<string, string>>;
  /** The first attempt was refused with `use_dpop_nonce` and retried. */
  readonly retried: boolean;
  /** One line for a person: the status and the challenge's error, if any. */
  readonly summary: string;
}

/**
 * `GET url` with `Authorization: DPoP <token>` and a fresh DPoP proof by the agent key (RFC 9449
 * §7: `ath` binds the proof to the token), retried once when the server asks for a nonce. A
 * refusal is returned, not thrown, so callers can show or assert it.
 */
export async function callResource(
  key: AgentKey,
  token: string,
  url: string,
): Promise<ResourceAnswer> {
  let retried = false;
  const agent = new BatonAgent({ key, observe: (event) => (retried = event.retriedWithNonce) });
  const response = await agent.fetch(token, url);
  const body = parseJson(await response.text());
  const challenge = challengeParameters(response.headers.get('www-authenticate'));
  const summary =
    challenge === undefined
      ? `${response.status} ${response.statusText}`.trimEnd()
      : `${response.status} ${challenge['error'] ?? ''}${challenge['error_description'] === undefined ? '' : `: ${challenge['error_description']}`}`;
  return { status: response.status, body, retried, summary, ...(challenge ? { challenge } : {}) };
}

/** The auth-params of the first challenge (RFC 9110 §11.6.1), quoted or not. */
function challengeParameters(header: string | null): Record<string, string> | undefined {
  if (header === null) {
    return undefined;
  }
  const parameters: Record<string, string> = {};
  for (const [, name, quoted, token] of header.matchAll(
    /([\w-]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g,
  )) {
    if (name !== undefined && !(name in parameters)) {
      parameters[name] = (quoted ?? token ?? '').replace(/\\(.)/g, '$1');
    }
  }
  return parameters;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
