import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { OAuthErrorFilter } from './oauth-error.filter.js';

/** Registers the one global {@link OAuthErrorFilter}. */
@Module({ providers: [{ provide: APP_FILTER, useClass: OAuthErrorFilter }] })
export class OAuthModule {}
