import { Injectable } from '@nestjs/common';
import { AuditorCredentialGuard } from '../auditor-credential.guard.js';

/** The auditor credential for the page: a refusal challenges with Basic, so a browser prompts. */
@Injectable()
export class AuditorPageGuard extends AuditorCredentialGuard {
  protected override readonly scheme = 'Basic';
}
