import { Injectable } from '@nestjs/common';
import { isStorageFull } from './database-faults.js';

/** How long after a write failed for lack of space readiness stays down unless a write succeeds. */
export const STORAGE_FAULT_HOLD_MS = 30_000;

/**
 * Whether writes currently fail for lack of space. A read ping cannot tell (a full database still
 * answers SELECT 1), so every write reports here: a full-storage failure makes readiness fail
 * until a later write succeeds, or for {@link STORAGE_FAULT_HOLD_MS} after the last such failure
 * so that traffic can probe again once space may have returned.
 */
@Injectable()
export class StorageHealth {
  private fault: { at: number; message: string } | undefined;

  noteWrite(error?: unknown): void {
    if (error === undefined) {
      this.fault = undefined;
    } else if (isStorageFull(error)) {
      this.fault = {
        at: Date.now(),
        message: error instanceof Error ? error.message : 'storage full',
      };
    }
  }

  /** What is wrong with storage now, or undefined. */
  problem(now = Date.now()): string | undefined {
    if (this.fault === undefined || now - this.fault.at > STORAGE_FAULT_HOLD_MS) {
      return undefined;
    }
    return `writes fail for lack of space (${this.fault.message})`;
  }
}
