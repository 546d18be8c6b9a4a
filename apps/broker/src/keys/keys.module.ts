import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeysService } from './keys.service.js';
import { SigningKeyEntity } from './signing-key.entity.js';

/** Signing keys: exports {@link KeysService}. Needs BROKER_CONFIG, CLOCK and DatabaseModule (global). */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity])],
  providers: [KeysService],
  exports: [KeysService],
})
export class KeysModule {}
