import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { AuditHeadEntity } from '../audit/audit-head.entity.js';
import { SigningKeyEntity } from '../keys/signing-key.entity.js';
import { LockEntity } from './lock.entity.js';
import { DpopNonceSecretEntity } from './dpop-nonce-secret.entity.js';
import { IssuedTokenEntity } from './issued-token.entity.js';
import { SeenJtiEntity } from './seen-jti.entity.js';
import { StatusListEntity } from '../revocation/status-list.entity.js';

/** Every TypeORM entity of the broker. Add a feature's entities here (classes, not globs). */
export const BROKER_ENTITIES = [
  SigningKeyEntity,
  LockEntity,
  IssuedTokenEntity,
  SeenJtiEntity,
  DpopNonceSecretEntity,
  StatusListEntity,
  AuditEventEntity,
  AuditHeadEntity,
];
