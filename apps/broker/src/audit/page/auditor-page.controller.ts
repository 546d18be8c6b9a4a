import { applyDecorators, Controller, Get, Header, Inject, UseGuards } from '@nestjs/common';
import { BROKER_CONFIG, type BrokerConfig } from '../../config/broker-config.js';
import { AUDITOR_PAGE_CSS } from './auditor-page.css.js';
import { auditorPageHtml } from './auditor-page.html.js';
import { AUDITOR_PAGE_JS } from './auditor-page.js.js';
import { AuditorPageGuard } from './auditor-page.guard.js';

/** The page's answer headers: not cached, not sniffed, no code but this origin's, never framed. */
function PageResource(contentType: string): MethodDecorator {
  return applyDecorators(
    Header('Content-Type', contentType),
    Header('Cache-Control', 'no-store'),
    Header('X-Content-Type-Options', 'nosniff'),
    Header(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ),
  );
}

/**
 * The auditor page, behind the auditor credential: paste a token or a jti, see the chain drawn
 * (domains as boxes, hops as arrows) and the tokens derived here. Plain HTML, CSS and script;
 * the policy allows nothing but this origin, so no inline or foreign code runs.
 */
@Controller('audit')
@UseGuards(AuditorPageGuard)
export class AuditorPageController {
  private readonly html: string;

  constructor(@Inject(BROKER_CONFIG) config: BrokerConfig) {
    this.html = auditorPageHtml(config.issuer);
  }

  @Get('page')
  @PageResource('text/html; charset=utf-8')
  page(): string {
    return this.html;
  }

  @Get('page.js')
  @PageResource('text/javascript; charset=utf-8')
  script(): string {
    return AUDITOR_PAGE_JS;
  }

  @Get('page.css')
  @PageResource('text/css; charset=utf-8')
  style(): string {
    return AUDITOR_PAGE_CSS;
  }
}
