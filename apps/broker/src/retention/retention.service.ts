import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { RETENTION_TASK, type RetentionTask } from './retention-task.js';

/**
 * Runs every registered {@link RetentionTask} every `retention.intervalSeconds`, one task at a
 * time, one run at a time; a failing task is logged and retried at the next run.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private tasks: RetentionTask[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    this.tasks = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.token === RETENTION_TASK && wrapper.instance)
      .map((wrapper) => wrapper.instance as RetentionTask);
    this.timer = setInterval(
      () => void this.runOnce(),
      this.config.retention.intervalSeconds * 1000,
    );
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Run every task now (skipped when a run is still going). */
  runOnce(): Promise<void> {
    this.running ??= this.runTasks().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runTasks(): Promise<void> {
    for (const task of this.tasks) {
      try {
        const removed = await task.prune(epochSeconds(this.clock));
        if (removed > 0) {
          this.logger.log(`${task.name}: ${removed} records past retention removed`);
        }
      } catch (error) {
        this.logger.warn(
          `${task.name}: retention run failed, retried next run: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
