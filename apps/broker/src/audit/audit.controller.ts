import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Query,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import { Readable } from 'node:stream';
import { invalidRequest } from '../oauth/oauth-error.js';
import { AuditEventsService, type AuditEventPage } from './audit-events.service.js';
import { parseAuditQuery } from './audit-query.js';
import { AuditTraceService, type TokenTrace } from './audit-trace.service.js';
import { AuditorCredentialGuard } from './auditor-credential.guard.js';
import { KeyArchive, type ArchivedKey } from './key-archive.service.js';

const MAX_TOKEN_LENGTH = 64 * 1024;

/**
 * The auditor API (its own credential, see {@link AuditorCredentialGuard}): traces, event
 * queries with cursor pagination, the JSON Lines export and the key archive.
 */
@Controller('audit')
@UseGuards(AuditorCredentialGuard)
export class AuditController {
  constructor(
    private readonly traces: AuditTraceService,
    private readonly events: AuditEventsService,
    private readonly archive: KeyArchive,
  ) {}

  /** Trace by token (`{ "token" }`) or by `{ "iss", "jti" }`; the token travels in the body, never a URL. */
  @Post('trace')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  trace(@Body() body: unknown): Promise<TokenTrace> {
    const { token, iss, jti } = fieldsOf(body);
    if (token !== undefined) {
      if (token.length > MAX_TOKEN_LENGTH) {
        throw invalidRequest('token is too large');
      }
      return this.traces.byToken(token);
    }
    if (iss === undefined || jti === undefined) {
      throw invalidRequest('give either token, or iss and jti');
    }
    return this.traces.byId(iss, jti);
  }

  @Get('trace')
  @Header('Cache-Control', 'no-store')
  traceById(@Query() query: Record<string, unknown>): Promise<TokenTrace> {
    const { iss, jti } = fieldsOf(query);
    if (iss === undefined || jti === undefined) {
      throw invalidRequest('parameters iss and jti are required');
    }
    return this.traces.byId(iss, jti);
  }

  /** Events by kind, (iss, jti), subject, cnf_jkt, client_id and time window; cursor-paginated. */
  @Get('events')
  @Header('Cache-Control', 'no-store')
  find(@Query() query: Record<string, unknown>): Promise<AuditEventPage> {
    return this.events.find(parseAuditQuery(query));
  }

  /** Every public key this domain ever signed with, retired and expired ones included. */
  @Get('keys')
  async keys(): Promise<{ issuer: string; keys: ArchivedKey[] }> {
    const header = await this.events.exportHeader();
    return { issuer: header.issuer, keys: await this.archive.all() };
  }

  /** JSON Lines: a header (chain anchor and head, key archive as a trust entry), then every event as stored. */
  @Get('export')
  @Header('Cache-Control', 'no-store')
  async export(): Promise<StreamableFile> {
    const header = await this.events.exportHeader();
    const events = this.events;
    async function* lines(): AsyncGenerator<string> {
      yield `${JSON.stringify(header)}\n`;
      for await (const page of events.exportEvents(header.head.seq)) {
        yield page.map((event) => `${JSON.stringify({ type: 'event', ...event })}\n`).join('');
      }
    }
    return new StreamableFile(Readable.from(lines()), { type: 'application/jsonl; charset=utf-8' });
  }
}

function fieldsOf(value: unknown): { token?: string; iss?: string; jti?: string } {
  const record =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const text = (name: string): string | undefined => {
    const field = record[name];
    if (field === undefined) {
      return undefined;
    }
    if (typeof field !== 'string' || field === '' || field.length > MAX_TOKEN_LENGTH) {
      throw invalidRequest(`${name} must be one non-empty string`);
    }
    return field;
  };
  return { token: text('token'), iss: text('iss'), jti: text('jti') };
}
