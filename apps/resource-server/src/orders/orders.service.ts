import { Injectable } from '@nestjs/common';

export interface Order {
  id: string;
  item: string;
  quantity: number;
  status: 'open' | 'shipped';
}

/** Domain C's order book (fixed demo data; the point of this app is who may read it). */
@Injectable()
export class OrdersService {
  private readonly orders: readonly Order[] = Object.freeze([
    { id: 'ord-1001', item: 'steel bolts M8', quantity: 500, status: 'shipped' },
    { id: 'ord-1002', item: 'hex nuts M8', quantity: 500, status: 'open' },
    { id: 'ord-1003', item: 'washers 8 mm', quantity: 1000, status: 'open' },
  ]);

  list(): readonly Order[] {
    return this.orders;
  }
}
