import { Injectable } from '@nestjs/common';
import type { ReplayStore } from '@baton/chain';
import { SeenJtiStore } from './seen-jti.store.js';

/**
 * libs/chain's ReplayStore over the shared database (RFC 9449 §11.1): a proof accepted by one
 * broker replica is refused by every other one sharing the database.
 */
@Injectable()
export class DpopReplayStore implements ReplayStore {
  constructor(private readonly seen: SeenJtiStore) {}

  checkAndStore(key: string, expiresAt: number): Promise<boolean> {
    return this.seen.claim('dpop', key, expiresAt);
  }
}
