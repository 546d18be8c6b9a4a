import { decodeJwt } from 'jose';
import { Inject, Injectable } from '@nestjs/common';
import { tokenEndpointOf } from '@baton/chain/protocol';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { BROKER_CONFIG, type BrokerConfig, type ClientConfig } from '../config/broker-config.js';
import { hashClientSecret, verifyClientSecret } from '../config/client-secret.js';
import { SeenJtiStore, type SingleUseClaim } from '../dpop/seen-jti.store.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { AuthFailureBackoff } from '../throttling/auth-failure-backoff.js';
import { SecretHashLimiter } from '../throttling/secret-hash-limiter.js';
import type { TokenForm } from '../token/token-form.js';
import { verifyClientAssertion } from './client-assertion.verifier.js';
import { readClientAuthentication, type ClientAuthRequest } from './client-auth-request.js';

/** The authenticated client and, for an assertion, the `jti` row issuance records. */
export interface AuthenticatedClient {
  client: ClientConfig;
  singleUse?: SingleUseClaim;
}

/**
 * Authenticates the client of a token request with the one method it used and the method the
 * client is registered for: private_key_jwt (RFC 7523 §2.2, §3, single-use `jti`) or
 * client_secret_basic / client_secret_post (RFC 6749 §2.3.1, scrypt hash, constant time).
 * Every failure is RFC 6749 §5.2 `invalid_client`, 401, with `WWW-Authenticate`.
 */
@Injectable()
export class ClientAuthenticator {
  private readonly clients: ReadonlyMap<string, ClientConfig>;
  private readonly audiences: readonly string[];
  private decoyHash: string | undefined;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly seen: SeenJtiStore,
    private readonly backoff: AuthFailureBackoff,
    private readonly hashes: SecretHashLimiter,
  ) {
    this.clients = new Map(config.clients.map((client) => [client.clientId, client]));
    this.audiences = [config.issuer, tokenEndpointOf(config.issuer)];
  }

  async authenticate(
    authorization: string | undefined,
    form: TokenForm,
  ): Promise<AuthenticatedClient> {
    try {
      const request = readClientAuthentication(authorization, form);
      return request.method === 'private_key_jwt'
        ? await this.authenticateAssertion(request.clientId, request.assertion)
        : { client: await this.authenticateSecret(request) };
    } catch (error) {
      throw withChallenge(error, this.config.issuer);
    }
  }

  private async authenticateSecret(
    request: Extract<ClientAuthRequest, { secret: string }>,
  ): Promise<ClientConfig> {
    const client = this.clients.get(request.clientId);
    const registered = client?.authMethod === request.method && client.secretHash !== undefined;
    // Unknown clients still cost one scrypt, so timing does not reveal which client_ids exist.
    if (registered) {
      this.backoff.check(client.clientId);
    }
    const hash = registered ? client.secretHash : this.decoy();
    const valid = await this.hashes.run(() => verifyClientSecret(hash, request.secret));
    if (registered) {
      if (valid) {
        this.backoff.succeeded(client.clientId);
      } else {
        this.backoff.failed(client.clientId);
      }
    }
    if (!registered || !valid) {
      throw new OAuthError('invalid_client', 'client authentication failed', {
        detail:
          client === undefined
            ? 'unknown client'
            : registered
              ? 'wrong secret'
              : 'method not registered',
      });
    }
    return client;
  }

  private async authenticateAssertion(
    formClientId: string | undefined,
    assertion: string,
  ): Promise<AuthenticatedClient> {
    const clientId = formClientId ?? unverifiedIssuer(assertion);
    const client = clientId === undefined ? undefined : this.clients.get(clientId);
    if (
      client === undefined ||
      client.authMethod !== 'private_key_jwt' ||
      client.jwks === undefined
    ) {
      throw new OAuthError('invalid_client', 'client authentication failed', {
        detail: 'unknown client or method',
      });
    }
    const now = epochSeconds(this.clock);
    const verified = await verifyClientAssertion(assertion, client, {
      audiences: this.audiences,
      now,
      clockSkew: this.config.dpop.clockSkewSeconds,
    });
    // RFC 7523 §3 item 7: the same assertion is accepted once (recorded when a token is issued).
    const used = () => new OAuthError('invalid_client', 'the client assertion was already used');
    const singleUse: SingleUseClaim = {
      purpose: 'client_assertion',
      key: `${client.clientId}:${verified.jti}`,
      expiresAt: verified.exp,
      refusal: () => withChallenge(used(), this.config.issuer),
    };
    if (!(await this.seen.isUnused(singleUse.purpose, singleUse.key, now))) {
      throw used();
    }
    return { client, singleUse };
  }

  private decoy(): string {
    this.decoyHash ??= hashClientSecret('decoy secret for unknown clients');
    return this.decoyHash;
  }
}

/** RFC 7523 §3 item 1: the assertion's `iss` names the client when the form does not. */
function unverifiedIssuer(assertion: string): string | undefined {
  try {
    const { iss } = decodeJwt(assertion);
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 6749 §5.2: invalid_client is a 401 with a WWW-Authenticate challenge. */
function withChallenge<E>(error: E, issuer: string): E | OAuthError {
  if (!(error instanceof OAuthError) || error.error !== 'invalid_client') {
    return error;
  }
  return new OAuthError('invalid_client', error.description, {
    status: 401,
    headers: { 'WWW-Authenticate': `Basic realm="${issuer}"` },
    detail: error.detail,
    cause: error,
  });
}
