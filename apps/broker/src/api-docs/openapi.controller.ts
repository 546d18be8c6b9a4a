import { Controller, Get, Header } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { OpenApiDocs } from './endpoint-docs.js';
import { OPENAPI_PATH, OpenApiDocument } from './openapi-document.js';

/** Serves the broker's OpenAPI document. */
@Controller()
export class OpenApiController {
  constructor(private readonly document: OpenApiDocument) {}

  @Get(OPENAPI_PATH)
  @Header('Cache-Control', 'public, max-age=300')
  @OpenApiDocs()
  get(): OpenAPIObject {
    return this.document.get();
  }
}
