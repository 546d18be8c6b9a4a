import { createHash } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { BROKER_CONFIG, type AuditorConfig, type BrokerConfig } from '../config/broker-config.js';
import { hashClientSecret, verifyClientSecret } from '../config/client-secret.js';
import type { HttpRequest } from '../oauth/http-types.js';
import { OAuthError } from '../oauth/oauth-error.js';

const REALM = 'baton-audit';
// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; ours is <auditor id>.<secret>.
const BEARER = /^Bearer +([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9._~+/-]+=*)$/;
const CACHE_SECONDS = 300;
const CACHE_LIMIT = 256;

/** The auditor a request was authenticated as, set on the request by {@link AuditorCredentialGuard}. */
export const AUDITOR = Symbol('auditor');

/**
 * The auditor API's own credential: `Authorization: Bearer <auditor id>.<secret>` (or Basic), checked
 * against the scrypt hash in `auditors:`. A client's credential, an access token or nothing is
 * refused with RFC 6750 §3 `WWW-Authenticate: Bearer`. A verified credential is remembered (by
 * its SHA-256) for five minutes so an auditor's paging costs one scrypt, not one per page.
 */
@Injectable()
export class AuditorCredentialGuard implements CanActivate {
  /** The challenge sent with a refusal; a browser page asks for Basic, so the browser prompts. */
  protected readonly scheme: 'Bearer' | 'Basic' = 'Bearer';
  private readonly auditors: ReadonlyMap<string, AuditorConfig>;
  private readonly verified = new Map<string, { id: string; until: number }>();
  private decoyHash?: string;

  constructor(@Inject(BROKER_CONFIG) config: BrokerConfig) {
    this.auditors = new Map(config.auditors.map((auditor) => [auditor.id, auditor]));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<HttpRequest & { [AUDITOR]?: string }>();
    request[AUDITOR] = await this.authenticate(request.headers.authorization);
    return true;
  }

  private async authenticate(authorization: string | string[] | undefined): Promise<string> {
    if (authorization === undefined) {
      // RFC 6750 §3.1: a request without credentials gets the challenge and no error code.
      throw refusal(
        this.scheme,
        'the auditor API needs an auditor credential (Bearer <id>.<secret>)',
        false,
      );
    }
    const credential =
      typeof authorization === 'string' ? readCredential(authorization) : undefined;
    if (credential === undefined) {
      throw refusal(
        this.scheme,
        'the auditor API accepts only an auditor credential (Bearer <id>.<secret>)',
      );
    }
    const key = createHash('sha256')
      .update(`${credential.id}\n${credential.secret}`)
      .digest('base64url');
    const now = Date.now() / 1000;
    const cached = this.verified.get(key);
    if (cached !== undefined && cached.until > now) {
      return cached.id;
    }
    const { id, secret } = credential;
    const auditor = this.auditors.get(id);
    // An unknown id still costs one scrypt, so timing does not reveal which auditors exist.
    this.decoyHash ??= hashClientSecret('decoy-auditor-secret');
    const valid = await verifyClientSecret(auditor?.secretHash ?? this.decoyHash, secret);
    if (auditor === undefined || !valid) {
      throw refusal(this.scheme, 'the auditor credential is not valid');
    }
    if (this.verified.size >= CACHE_LIMIT) {
      this.verified.clear();
    }
    this.verified.set(key, { id, until: now + CACHE_SECONDS });
    return id;
  }
}

/**
 * `Bearer <id>.<secret>` for programs; `Basic` (RFC 7617) with the same id and secret, so a
 * browser can open the auditor page with its own credential prompt.
 */
function readCredential(authorization: string): { id: string; secret: string } | undefined {
  const bearer = BEARER.exec(authorization);
  if (bearer !== null) {
    return { id: bearer[1], secret: bearer[2] };
  }
  const basic = /^Basic +([A-Za-z0-9+/]+={0,2})$/.exec(authorization);
  if (basic === null) {
    return undefined;
  }
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const id = decoded.slice(0, colon);
  return colon > 0 && /^[A-Za-z0-9_-]{1,64}$/.test(id)
    ? { id, secret: decoded.slice(colon + 1) }
    : undefined;
}

function refusal(scheme: 'Bearer' | 'Basic', description: string, withError = true): OAuthError {
  // RFC 7617 §2 for the page; RFC 6750 §3 for the API.
  const challenge =
    scheme === 'Basic'
      ? `Basic realm="${REALM}", charset="UTF-8"`
      : withError
        ? `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`
        : `Bearer realm="${REALM}"`;
  return new OAuthError('invalid_token', description, {
    headers: { 'WWW-Authenticate': challenge },
  });
}
