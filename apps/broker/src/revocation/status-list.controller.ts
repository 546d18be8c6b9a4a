import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { STATUS_LIST_MEDIA_TYPE } from '@baton/chain/protocol';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import type { HttpResponse } from '../oauth/http-types.js';
import { StatusListPublisher } from './status-list.publisher.js';

/** `GET /status-lists/:id`: the Status List Token a link's `status.status_list.uri` names. */
@Controller()
export class StatusListController {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly publisher: StatusListPublisher,
  ) {}

  @Get('status-lists/:id')
  async statusList(
    @Param('id') id: string,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<string> {
    const token = /^[1-9][0-9]{0,8}$/.test(id) ? await this.publisher.token(Number(id)) : undefined;
    if (token === undefined) {
      throw new NotFoundException({ error: 'not_found', error_description: 'no such status list' });
    }
    // draft-ietf-oauth-status-list "Status List Response": served as application/statuslist+jwt.
    response.header('Content-Type', STATUS_LIST_MEDIA_TYPE);
    response.header(
      'Cache-Control',
      `public, max-age=${this.config.revocation.statusListTtlSeconds}`,
    );
    return token;
  }
}
