import type { Server } from 'node:http';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { METRICS_PATH, startMetricsServer, stopMetricsServer } from './metrics-server.js';

/**
 * A Nest provider serving `registry` at `GET /metrics` on `listen`, a listener of its own (the
 * public port never exposes metrics), from bootstrap to shutdown; nothing when `listen` is absent.
 * A port that cannot be bound fails the start-up.
 */
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsListener.name);
  private server?: Server;

  constructor(
    private readonly registry: Registry,
    private readonly listen: { readonly host: string; readonly port: number } | undefined,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.listen === undefined) {
      return;
    }
    this.server = await startMetricsServer(this.registry, this.listen);
    this.logger.log({ ...this.listen, path: METRICS_PATH }, 'metrics listener started');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.server !== undefined) {
      await stopMetricsServer(this.server);
      this.server = undefined;
    }
  }
}
