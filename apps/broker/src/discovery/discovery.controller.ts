import {
  Controller,
  Get,
  Header,
  Inject,
  Logger,
  NotFoundException,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { JWK } from 'jose';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { JwksDocs, MetadataDocs } from '../api-docs/endpoint-docs.js';
import { KeysService } from '../keys/keys.service.js';
import { authorizationServerMetadata, wellKnownPathOf } from './authorization-server-metadata.js';

/** Longest time a verifier may cache the JWKS; never longer than a new key's pre-publication. */
const MAX_JWKS_CACHE_SECONDS = 300;

interface UrlRequest {
  readonly url: string;
}
interface HeaderResponse {
  header(name: string, value: string): unknown;
}

/** RFC 8414 metadata and the RFC 7517 JWK Set. */
@Controller()
export class DiscoveryController {
  private readonly logger = new Logger(DiscoveryController.name);
  private readonly metadata: Record<string, unknown>;
  private readonly wellKnownPath: string;
  private readonly jwksCacheControl: string;

  constructor(
    @Inject(BROKER_CONFIG) config: BrokerConfig,
    private readonly keys: KeysService,
  ) {
    this.metadata = authorizationServerMetadata(config);
    this.wellKnownPath = wellKnownPathOf(config.issuer);
    const maxAge = Math.min(MAX_JWKS_CACHE_SECONDS, config.keys.prePublishSeconds);
    this.jwksCacheControl = `public, max-age=${maxAge}`;
  }

  @Get(['.well-known/oauth-authorization-server', '.well-known/oauth-authorization-server/*'])
  @Header('Cache-Control', 'public, max-age=300')
  @MetadataDocs()
  getMetadata(@Req() request: UrlRequest): Record<string, unknown> {
    // RFC 8414 §3.1: only the path built from this issuer answers.
    if (request.url.split('?', 1)[0] !== this.wellKnownPath) {
      throw new NotFoundException();
    }
    return this.metadata;
  }

  @Get('jwks')
  @JwksDocs()
  async getJwks(@Res({ passthrough: true }) response: HeaderResponse): Promise<{ keys: JWK[] }> {
    let jwks: { keys: JWK[] };
    try {
      jwks = await this.keys.getPublishedJwks();
    } catch (error) {
      this.logger.error(
        `JWKS unavailable: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw new ServiceUnavailableException({
        error: 'temporarily_unavailable',
        error_description: 'keys unavailable',
      });
    }
    // RFC 7517 §8.5.1
    response.header('Content-Type', 'application/jwk-set+json');
    response.header('Cache-Control', this.jwksCacheControl);
    return jwks;
  }
}
