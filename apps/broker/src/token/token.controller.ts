import { Controller, Header, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { TokenEndpointDocs } from '../api-docs/endpoint-docs.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { tokenRefusedEvent } from '../audit/token-refused.event.js';
import type { HttpRequest, HttpResponse } from '../oauth/http-types.js';
import { issuedOutcome, refusalOutcome } from '../observability/token-outcome.js';
import { TokenOutcomeRecorder } from '../observability/token-outcome.recorder.js';
import { TokenThrottlerGuard } from '../throttling/token-throttler.guard.js';
import { TokenEndpointService, type TokenResponse } from './token-endpoint.service.js';

/** `POST /token` (RFC 6749 §3.2); the work is in {@link TokenEndpointService}. */
@Controller()
export class TokenController {
  constructor(
    private readonly endpoint: TokenEndpointService,
    private readonly audit: AuditLog,
    private readonly outcomes: TokenOutcomeRecorder,
  ) {}

  @Post('token')
  @TokenEndpointDocs()
  @UseGuards(TokenThrottlerGuard)
  @HttpCode(200)
  // RFC 6749 §5.1: token responses are not cached.
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async token(
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<TokenResponse> {
    const outcome = this.outcomes.start(request);
    response.header('DPoP-Nonce', this.endpoint.currentNonce());
    try {
      const answer = await this.endpoint.handle(request);
      outcome(issuedOutcome(answer));
      return answer;
    } catch (error) {
      // Every refusal is an audit event (issued tokens are recorded in their own transaction).
      await this.audit.recordQuietly(tokenRefusedEvent(request, error));
      outcome(refusalOutcome(error));
      throw error;
    }
  }
}
