import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { BrokerConfig } from '../config/broker-config.js';

/** Where the broker serves its OpenAPI document, under the issuer's path. */
export const OPENAPI_PATH = 'openapi.json';

/** Holds the document, built from the app's own routes once the app exists. */
export class OpenApiDocument {
  #document?: OpenAPIObject;

  set(document: OpenAPIObject): void {
    this.#document = document;
  }

  get(): OpenAPIObject {
    if (this.#document === undefined) {
      throw new Error('the OpenAPI document is built by createBrokerApp before init');
    }
    return this.#document;
  }
}

/**
 * The OpenAPI 3 document of `app`'s routes, scanned by @nestjs/swagger from the controllers and
 * their decorators (set the global prefix first). Call before `init`.
 */
export function buildOpenApiDocument(app: INestApplication, config: BrokerConfig): OpenAPIObject {
  const description = new DocumentBuilder()
    .setTitle('Baton broker')
    .setDescription(
      `Trust domain ${config.issuer}: a federated delegation broker (RFC 8693 token exchange, ` +
        'DPoP-bound chained tokens). Refusals are RFC 6749 §5.2 JSON.',
    )
    .setVersion('1')
    .addServer(new URL(config.issuer).origin)
    .build();
  return SwaggerModule.createDocument(app, description);
}
