import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { AuditLog } from './audit-log.service.js';
import { configLoadedEvent } from './config-loaded.event.js';

/** Records the configuration each replica starts with, once it is up. */
@Injectable()
export class ConfigAuditRecorder implements OnApplicationBootstrap {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly audit: AuditLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.audit.record(configLoadedEvent(this.config));
  }
}
