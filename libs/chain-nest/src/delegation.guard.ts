import {
  HttpException,
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ChainError,
  describeFailedCheck,
  resourceErrorFor,
  verifyRequest,
  wwwAuthenticate,
  type VerifiedRequest,
  type VerifyRequestOptions,
} from '@baton/chain';
import type { VerificationOutcome } from './chain-module-options.js';
import { attachDelegation } from './delegation.decorator.js';
import { acceptedEvent, refusedEvent, type DelegationEvent } from './delegation-event.js';
import { toPresentedRequest, type HttpRequestLike } from './presented-request.js';
import { REQUIRED_SCOPES_METADATA } from './require-scopes.decorator.js';
import { RESOLVED_CHAIN_OPTIONS, type ResolvedChainOptions } from './resolved-chain-options.js';

interface HttpResponseLike {
  setHeader?: (name: string, value: string) => unknown;
  header?: (name: string, value: string) => unknown;
}

/**
 * Protects a route with a Baton delegation chain: runs verifyRequest on the request (chain,
 * DPoP proof, scopes from {@link RequireScopes}), attaches the result for {@link Delegation},
 * and otherwise refuses with the RFC 6750 / RFC 9449 status, `WWW-Authenticate` challenge and,
 * for `use_dpop_nonce`, a fresh `DPoP-Nonce`. The headers are set on the response before the
 * HttpException is thrown, so they reach the client whichever exception filter writes the body.
 *
 * Errors that are not refusals (bugs) are rethrown untouched. Tokens are never logged.
 */
@Injectable()
export class DelegationGuard implements CanActivate {
  private readonly logger = new Logger(DelegationGuard.name);
  /** verifyRequest's options but the per-call time and scopes, built once. */
  private readonly verification: Omit<VerifyRequestOptions, 'now' | 'requiredScopes'>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(RESOLVED_CHAIN_OPTIONS) private readonly options: ResolvedChainOptions,
  ) {
    const {
      publicBaseUrl: _base,
      nonce,
      realm: _realm,
      clock: _clock,
      onVerification: _observer,
      onDecision: _decisions,
      ...verification
    } = options;
    this.verification = {
      ...verification,
      nonce: nonce === undefined ? undefined : (value) => nonce.check(value),
    };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<HttpRequestLike & object>();
    const requiredScopes = this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    let verified: VerifiedRequest;
    try {
      verified = await verifyRequest(
        toPresentedRequest(req, this.options.publicBaseUrl),
        this.verifyOptions(requiredScopes),
      );
    } catch (error) {
      if (!(error instanceof ChainError)) {
        throw error;
      }
      const refusal = resourceErrorFor(error);
      this.report({
        outcome: 'refused',
        seconds: seconds(),
        code: error.code,
        status: refusal.status,
        ...(refusal.error === undefined ? {} : { error: refusal.error }),
      });
      await this.emit(refusedEvent(this.eventBase(req), error, refusal));
      throw await this.refuse(http.getResponse<HttpResponseLike>(), error);
    }
    attachDelegation(req, verified);
    this.report({ outcome: 'accepted', seconds: seconds(), subject: verified.subject });
    await this.emit(acceptedEvent(this.eventBase(req), verified));
    return true;
  }

  private eventBase(req: HttpRequestLike & { route?: { path?: unknown } }) {
    const route = typeof req.route?.path === 'string' ? req.route.path : undefined;
    const target = req.originalUrl ?? req.url ?? '/';
    return {
      at: this.options.clock?.() ?? Math.floor(Date.now() / 1000),
      method: req.method ?? '',
      route: route ?? target.split('?', 1)[0],
    };
  }

  private async emit(event: DelegationEvent): Promise<void> {
    if (this.options.onDecision === undefined) {
      return;
    }
    try {
      await this.options.onDecision(event);
    } catch (error) {
      this.logger.error(
        `onDecision hook failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private report(outcome: VerificationOutcome): void {
    try {
      this.options.onVerification?.(outcome);
    } catch {
      // An observer's fault never changes the verdict.
    }
  }

  private verifyOptions(requiredScopes: string[]): VerifyRequestOptions {
    return { ...this.verification, requiredScopes, now: this.options.clock?.() };
  }

  private async refuse(res: HttpResponseLike, error: ChainError): Promise<HttpException> {
    const refusal = resourceErrorFor(error);
    this.logger.debug(`refused: ${error.code} ${describeFailedCheck(error) ?? error.message}`);
    const challenge = wwwAuthenticate(error, {
      algorithms: this.options.dpopAlgorithms,
      realm: this.options.realm,
    });
    setHeader(res, 'WWW-Authenticate', challenge);
    setHeader(res, 'Cache-Control', 'no-store');
    if (error.code === 'ERR_DPOP_NONCE' && this.options.nonce !== undefined) {
      // RFC 9449 §9: the client retries with this nonce in its proof.
      setHeader(res, 'DPoP-Nonce', await this.options.nonce.issue());
    }
    const body =
      refusal.error === undefined
        ? { error_description: 'DPoP credentials required' }
        : { error: refusal.error, error_description: refusal.description };
    return new HttpException(body, refusal.status);
  }
}

function setHeader(res: HttpResponseLike, name: string, value: string): void {
  if (typeof res.setHeader === 'function') {
    res.setHeader(name, value);
  } else if (typeof res.header === 'function') {
    res.header(name, value);
  }
}
