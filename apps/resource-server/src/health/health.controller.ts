import { Controller, Get } from '@nestjs/common';

/** Liveness for launchers and orchestrators; unauthenticated and reveals nothing. */
@Controller('health')
export class HealthController {
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
