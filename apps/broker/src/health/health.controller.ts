import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { ReadinessIndicators } from './readiness.indicators.js';

/**
 * Liveness (the process answers) and readiness (its database answers, has room to write, and
 * the active signing key signs). A failed readiness check is a 503 with terminus's report.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly readiness: ReadinessIndicators,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const timeout = this.config.databaseTimeouts.statementMs;
    return this.health.check([
      () => this.database.pingCheck('database', { timeout }),
      () => this.readiness.storageWritable(),
      () => this.readiness.canSign(),
    ]);
  }
}
