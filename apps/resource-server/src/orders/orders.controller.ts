import { Controller, Get, UseGuards } from '@nestjs/common';
import type { VerifiedRequest } from '@baton/chain';
import { Delegation, DelegationGuard, RequireScopes } from '@baton/chain-nest';
import { OrdersService, type Order } from './orders.service.js';

interface OrdersResponse {
  orders: readonly Order[];
  /** Who is reading: the subject, through which domains, with which agent key. */
  requestedBy: { subject: string; agentKeyThumbprint: string; route: string[] };
}

@Controller('api/orders')
@UseGuards(DelegationGuard)
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @RequireScopes('orders:read')
  list(@Delegation() delegation: VerifiedRequest): OrdersResponse {
    return {
      orders: this.orders.list(),
      requestedBy: {
        subject: delegation.subject,
        agentKeyThumbprint: delegation.agentKeyThumbprint,
        route: delegation.hops.map((hop) => hop.domain),
      },
    };
  }
}
