import { Controller, Get, UseGuards } from '@nestjs/common';
import type { VerifiedRequest } from '@baton/chain';
import { Delegation, DelegationGuard } from '@baton/chain-nest';
import { toDelegationView, type DelegationView } from './delegation-view.js';

/** Echoes the verified delegation chain so a person can see what the resource accepted. */
@Controller('api/whoami')
@UseGuards(DelegationGuard)
export class WhoamiController {
  @Get()
  whoami(@Delegation() delegation: VerifiedRequest): DelegationView {
    return toDelegationView(delegation);
  }
}
