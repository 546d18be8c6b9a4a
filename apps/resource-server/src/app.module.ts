import { Module, type DynamicModule } from '@nestjs/common';
import { ChainModule } from '@baton/chain-nest';
import {
  RESOURCE_SERVER_CONFIG,
  type ResourceServerConfig,
} from './config/resource-server-config.js';
import { HealthController } from './health/health.controller.js';
import { OrdersController } from './orders/orders.controller.js';
import { OrdersService } from './orders/orders.service.js';
import type { DecisionLogWriter } from './audit/decision-log.js';
import { chainOptionsFor } from './chain-options.factory.js';
import { WhoamiController } from './whoami/whoami.controller.js';
import { MetricsListener } from '../../observability/src/metrics-listener.js';
import { ResourceServerMetrics } from './observability/resource-server-metrics.js';

/** Domain C's partner API: every `/api` route is protected by a Baton delegation chain. */
@Module({})
export class ResourceServerModule {
  static forRoot(config: ResourceServerConfig, decisionLog: DecisionLogWriter): DynamicModule {
    const metrics = new ResourceServerMetrics();
    return {
      module: ResourceServerModule,
      imports: [ChainModule.forRoot(chainOptionsFor(config, metrics, decisionLog))],
      controllers: [OrdersController, WhoamiController, HealthController],
      providers: [
        { provide: RESOURCE_SERVER_CONFIG, useValue: config },
        { provide: ResourceServerMetrics, useValue: metrics },
        {
          provide: MetricsListener,
          useValue: new MetricsListener(metrics.registry, config.metrics?.listen),
        },
        OrdersService,
      ],
    };
  }
}
