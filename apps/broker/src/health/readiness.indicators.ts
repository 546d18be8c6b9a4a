import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { StorageHealth } from '../database/storage-health.js';
import { KeysService } from '../keys/keys.service.js';

/** Readiness checks beyond the database ping: storage writable, active key usable. */
@Injectable()
export class ReadinessIndicators {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly indicators: HealthIndicatorService,
    private readonly storage: StorageHealth,
    private readonly keys: KeysService,
  ) {}

  /** Down while writes fail for lack of space (a read ping still answers then). */
  storageWritable(): HealthIndicatorResult {
    const check = this.indicators.check('storage');
    const problem = this.storage.problem();
    return problem === undefined ? check.up() : check.down({ message: problem });
  }

  /** Down unless the active signing key decrypts and signs (a wrong KEK shows here). */
  async canSign(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('signing');
    const problem = await withDeadline(
      this.keys.signingProblem(),
      this.config.databaseTimeouts.statementMs,
    );
    return problem === undefined ? check.up() : check.down({ message: problem });
  }
}

function withDeadline(check: Promise<string | undefined>, ms: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${ms} ms`), ms);
  });
  return Promise.race([check, late]).finally(() => clearTimeout(timer));
}
