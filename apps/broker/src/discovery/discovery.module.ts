import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module.js';
import { DiscoveryController } from './discovery.controller.js';

@Module({ imports: [KeysModule], controllers: [DiscoveryController] })
export class DiscoveryModule {}
