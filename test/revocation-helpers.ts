/** Helpers for revocation tests: RFC 7009, RFC 7662 and administrator requests over real HTTP. */
import { decodeStatusList, readStatus } from '@baton/chain';
import type { DelegatedTokenClaims, LinkClaims } from '@baton/chain/protocol';
import { decodePayload } from '../libs/chain/test/fixtures/federation.js';
import { encodeForm, type Form, type TokenAnswer } from './token-helpers.js';

export const ADMIN_SECRET = 'administrator-secret-0123456789-abcdef';

async function answer(response: Response): Promise<TokenAnswer> {
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    body = { unparsed: text };
  }
  return { status: response.status, body, headers: response.headers };
}

export async function postForm(url: string, form: Form): Promise<TokenAnswer> {
  return answer(
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: encodeForm(form),
    }),
  );
}

export function revoke(domain: { url: string }, auth: Form, token?: string): Promise<TokenAnswer> {
  return postForm(`${domain.url}/revoke`, { ...auth, token });
}

export function introspect(
  domain: { url: string },
  auth: Form,
  token: string,
): Promise<TokenAnswer> {
  return postForm(`${domain.url}/introspect`, { ...auth, token });
}

export async function adminRevoke(
  domain: { url: string },
  body: unknown,
  secret: string | null = ADMIN_SECRET,
): Promise<TokenAnswer> {
  return answer(
    await fetch(`${domain.url}/admin/revocations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === null ? {} : { authorization: `Bearer ${secret}` }),
      },
      body: JSON.stringify(body),
    }),
  );
}

/** The status a token's own (last) link has in the list its issuer publishes now. */
export async function publishedStatus(token: string): Promise<number | undefined> {
  const links = decodePayload<DelegatedTokenClaims>(token).baton.links;
  const reference = decodePayload<LinkClaims>(links[links.length - 1]).status!.status_list;
  const response = await fetch(reference.uri, {
    headers: { accept: 'application/statuslist+jwt' },
  });
  const payload = decodePayload<{ status_list: { bits: number; lst: string } }>(
    await response.text(),
  );
  return readStatus(decodeStatusList(payload.status_list), reference.idx);
}
