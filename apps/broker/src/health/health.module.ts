import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KeysModule } from '../keys/keys.module.js';
import { HealthController } from './health.controller.js';
import { ReadinessIndicators } from './readiness.indicators.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), KeysModule],
  controllers: [HealthController],
  providers: [ReadinessIndicators],
})
export class HealthModule {}
