import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository, SelectQueryBuilder } from 'typeorm';
import { tokenEndpointOf } from '@baton/chain/protocol';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { auditEventView, type AuditEventView } from './audit-event.view.js';
import { readChainBounds } from './audit-log.reader.js';
import { AuditLog } from './audit-log.service.js';
import { makeCursor, MAX_PAGE, type AuditQuery } from './audit-query.js';
import { KeyArchive } from './key-archive.service.js';

export interface AuditEventPage {
  domain: string;
  source: string;
  events: AuditEventView[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
}

/** The first line of an export: enough to verify the log and, offline, the tokens it names. */
export interface AuditExportHeader {
  type: 'baton.audit-export';
  version: 1;
  issuer: string;
  exportedAt: number;
  anchor: { seq: number; hash: string };
  head: { seq: number; hash: string };
  /** A `baton verify --trust` entry: every key this domain ever signed with. */
  trust: { issuer: string; jwks: { keys: object[] }; tokenEndpoint: string };
  keys: object[];
}

/** Event queries (cursor-paginated) and the JSON Lines export. */
@Injectable()
export class AuditEventsService {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    private readonly archive: KeyArchive,
    private readonly log: AuditLog,
  ) {}

  async find(query: AuditQuery): Promise<AuditEventPage> {
    const rows = await filtered(this.events.createQueryBuilder('e'), query)
      .orderBy('e.seq', 'ASC')
      .take(query.limit + 1)
      .getMany();
    const page = rows.slice(0, query.limit);
    return {
      domain: this.config.issuer,
      source: "this domain's hash-chained audit log",
      events: page.map(auditEventView),
      ...(rows.length > query.limit ? { nextCursor: makeCursor(page[page.length - 1].seq) } : {}),
    };
  }

  async exportHeader(): Promise<AuditExportHeader> {
    const bounds = await readChainBounds(this.events.manager);
    const keys = await this.archive.all();
    return {
      type: 'baton.audit-export',
      version: 1,
      issuer: this.config.issuer,
      exportedAt: this.log.now(),
      anchor: { seq: bounds.anchorSeq, hash: bounds.anchorHash },
      head: { seq: bounds.headSeq, hash: bounds.headHash },
      trust: {
        issuer: this.config.issuer,
        jwks: { keys: keys.map((key) => key.jwk) },
        tokenEndpoint: tokenEndpointOf(this.config.issuer),
      },
      keys,
    };
  }

  /** Events up to `headSeq` in pages, each exactly as stored (the hashed columns). */
  async *exportEvents(headSeq: number): AsyncGenerator<AuditEventEntity[]> {
    let after = 0;
    for (;;) {
      const page = await this.events
        .createQueryBuilder('e')
        .where('e.seq > :after AND e.seq <= :headSeq', { after, headSeq })
        .orderBy('e.seq', 'ASC')
        .take(MAX_PAGE)
        .getMany();
      if (page.length === 0) {
        return;
      }
      yield page;
      after = page[page.length - 1].seq;
    }
  }
}

function filtered(
  builder: SelectQueryBuilder<AuditEventEntity>,
  query: AuditQuery,
): SelectQueryBuilder<AuditEventEntity> {
  builder.where('e.seq > :after', { after: query.after });
  const equal: [keyof AuditQuery, string][] = [
    ['kind', 'kind'],
    ['iss', 'issuer'],
    ['jti', 'jti'],
    ['subject', 'subject'],
    ['cnfJkt', 'cnfJkt'],
    ['clientId', 'clientId'],
  ];
  for (const [param, column] of equal) {
    if (query[param] !== undefined) {
      builder.andWhere(`e.${column} = :${param}`, { [param]: query[param] });
    }
  }
  if (query.since !== undefined) {
    builder.andWhere('e.at >= :since', { since: query.since });
  }
  if (query.until !== undefined) {
    builder.andWhere('e.at <= :until', { until: query.until });
  }
  return builder;
}
