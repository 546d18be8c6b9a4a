import {
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CompactSign, type CryptoKey, type JWK } from 'jose';
import type { EntityManager, Repository } from 'typeorm';
import type { DomainSigningAlgorithm } from '@baton/chain/protocol';
import { AuditLog } from '../audit/audit-log.service.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { canonicalJson } from '../audit/audit-hash.js';
import {
  keyActivatedEvent,
  keyGeneratedEvent,
  keyRetiredEvent,
} from '../audit/key-lifecycle.event.js';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { BrokerMetrics } from '../observability/broker-metrics.js';
import {
  decryptPrivateKey,
  demoKeyEncryptionKey,
  encryptPrivateKey,
  type KeyProtection,
} from './key-encryption.js';
import {
  generateSigningKey,
  importSigningKey,
  publicOnly,
  type GeneratedKey,
} from './key-material.js';
import {
  activeKey,
  nextCheckAt,
  publishedKeys,
  rotationPlan,
  type KeySchedulePolicy,
} from './key-schedule.js';
import { SigningKeyEntity } from './signing-key.entity.js';
import type { SigningKey } from '@baton/chain/issue';

const ROTATION_LOCK = 'signing-key-rotation';

/**
 * The domain's signing keys: generated on first start, stored encrypted, rotated on schedule.
 * Replicas sharing a database agree because the rotation decision runs under one database lock
 * and the active key is derived from the stored rows alone (see key-schedule.ts).
 */
@Injectable()
export class KeysService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KeysService.name);
  private readonly kek: Buffer;
  private readonly protection: KeyProtection;
  private readonly policy: KeySchedulePolicy;
  private readonly imported = new Map<string, Promise<CryptoKey>>();
  /** Stored keys this replica cannot decrypt (written under another KEK): never used to sign. */
  private readonly unusable = new Set<string>();
  /** Kids whose `key.activated` event is known to be in the log (no need to look again). */
  private readonly activationRecorded = new Set<string>();
  private view?: { keys: SigningKeyEntity[]; nextCheckAt: number };
  private refreshing?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectRepository(SigningKeyEntity) private readonly keys: Repository<SigningKeyEntity>,
    private readonly transactions: DatabaseTransactions,
    private readonly metrics: BrokerMetrics,
    private readonly audit: AuditLog,
  ) {
    if (config.keys.encryptionKey !== undefined) {
      this.kek = config.keys.encryptionKey;
      this.protection = 'kek';
    } else if (config.mode === 'demo') {
      this.kek = demoKeyEncryptionKey(config.issuer);
      this.protection = 'demo';
    } else {
      throw new Error(
        `${config.source}: production mode needs keys.encryptionKeyEnv (a 32-byte key-encryption key)`,
      );
    }
    this.policy = {
      algorithm: config.keys.algorithm,
      rotationIntervalSeconds: config.keys.rotationIntervalSeconds,
      prePublishSeconds: config.keys.prePublishSeconds,
      retentionSeconds: config.tokens.maxTokenTtlSeconds + config.dpop.clockSkewSeconds,
    };
  }

  async onModuleInit(): Promise<void> {
    if (this.protection === 'demo') {
      this.logger.warn(
        '!!! DEMO MODE: signing keys are encrypted with a key derived from the issuer, which is NOT a secret. ' +
          'Anyone who can read the database can sign as this domain. Set keys.encryptionKeyEnv in production. !!!',
      );
    }
    // Proven before anything is written: a replica with the wrong KEK must not rotate.
    await this.checkStoredKeys();
    await this.refresh();
    await this.getSigningKey();
    const period =
      Math.max(1, Math.min(60, Math.floor(this.config.keys.prePublishSeconds / 2))) * 1000;
    this.timer = setInterval(() => {
      this.current().catch((error: unknown) =>
        this.logger.error(`key refresh failed: ${describe(error)}`),
      );
    }, period);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * The key that signs now (libs/chain SigningKey shape); its CryptoKey is imported once per kid.
   * A stored key this replica cannot decrypt is skipped (logged once): the newest usable key
   * signs instead, which peers still accept because it stays published.
   */
  async getSigningKey(): Promise<SigningKey> {
    const keys = await this.current();
    for (;;) {
      const row = activeKey(this.usable(keys), epochSeconds(this.clock));
      if (row === undefined) {
        throw new Error('no usable active signing key');
      }
      try {
        return {
          kid: row.kid,
          alg: row.alg as DomainSigningAlgorithm,
          privateKey: await this.importKey(row),
        };
      } catch (error) {
        this.unusable.add(row.kid);
        this.logger.error(`${describe(error)}; signing with the previous key instead`);
      }
    }
  }

  /** Why this replica cannot sign with its active key now, or undefined when it can (readiness). */
  async signingProblem(): Promise<string | undefined> {
    try {
      const key = await this.getSigningKey();
      await new CompactSign(new TextEncoder().encode('readiness'))
        .setProtectedHeader({ alg: key.alg, kid: key.kid })
        .sign(key.privateKey);
      return undefined;
    } catch (error) {
      return describe(error);
    }
  }

  /** RFC 7517 §5 JWK Set of every published key (pre-published, active, retired but unexpired); public members only. */
  async getPublishedJwks(): Promise<{ keys: JWK[] }> {
    const keys = await this.current();
    return {
      keys: publishedKeys(keys, epochSeconds(this.clock)).map((row) =>
        publicOnly(JSON.parse(row.publicJwk) as JWK),
      ),
    };
  }

  /** Read the keys again and rotate if due (also runs on a timer and whenever the cached view is stale). */
  refresh(): Promise<void> {
    this.refreshing ??= this.rotateIfDue().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async current(): Promise<SigningKeyEntity[]> {
    if (this.view === undefined || epochSeconds(this.clock) >= this.view.nextCheckAt) {
      await this.refresh();
    }
    return this.view!.keys;
  }

  /**
   * Start-up check, before anything is written: when keys are stored, one of them must decrypt
   * under this replica's KEK (a wrong KEK decrypts none), or the broker refuses to start. Newer
   * keys that do not decrypt are marked unusable: never signed with, and rotated past.
   */
  private async checkStoredKeys(): Promise<void> {
    const stored = [...(await this.keys.find())].sort((a, b) => b.activatesAt - a.activatesAt);
    const failures: string[] = [];
    for (const row of stored) {
      try {
        await this.importKey(row);
        for (const kid of failures) {
          this.logger.error(`signing key ${kid} does not decrypt under this KEK; it will not sign`);
        }
        return;
      } catch (error) {
        this.unusable.add(row.kid);
        failures.push(row.kid);
        if (failures.length === stored.length) {
          throw new Error(
            `${describe(error)}; no stored signing key decrypts, refusing to start ` +
              '(every replica of a domain needs the same keys.encryptionKeyEnv)',
          );
        }
      }
    }
  }

  private async rotateIfDue(): Promise<void> {
    let keys = await this.keys.find();
    if (rotationPlan(this.usable(keys), epochSeconds(this.clock), this.policy) !== undefined) {
      const generated = await generateSigningKey(this.config.keys.algorithm);
      await this.transactions.runLocked(ROTATION_LOCK, epochSeconds(this.clock), (manager) =>
        this.rotateLocked(manager, generated),
      );
      keys = await this.keys.find();
    }
    this.view = { keys, nextCheckAt: nextCheckAt(keys, epochSeconds(this.clock), this.policy) };
    await this.recordActivation(keys);
  }

  /**
   * Write `key.activated` once per pre-published key, by the first replica to see it active:
   * looked up and appended under the rotation lock. A failure is logged and retried next refresh.
   */
  private async recordActivation(keys: SigningKeyEntity[]): Promise<void> {
    const now = epochSeconds(this.clock);
    const active = activeKey(this.usable(keys), now);
    if (
      active === undefined ||
      active.activatesAt <= active.createdAt ||
      this.activationRecorded.has(active.kid)
    ) {
      return;
    }
    const event = keyActivatedEvent(now, active);
    try {
      await this.transactions.runLocked(ROTATION_LOCK, now, async (manager) => {
        const recorded = await manager.existsBy(AuditEventEntity, {
          kind: event.kind,
          data: canonicalJson(event.data),
        });
        if (!recorded) {
          await this.audit.append(manager, event);
        }
      });
      this.activationRecorded.add(active.kid);
    } catch (error) {
      this.logger.error(`key.activated for ${active.kid} not recorded: ${describe(error)}`);
    }
  }

  private async rotateLocked(manager: EntityManager, generated: GeneratedKey): Promise<void> {
    const repository = manager.getRepository(SigningKeyEntity);
    const now = epochSeconds(this.clock);
    // Decided again under the lock: another replica may have rotated since the unlocked read.
    const plan = rotationPlan(this.usable(await repository.find()), now, this.policy);
    if (plan === undefined) {
      return;
    }
    if (plan.predecessor !== undefined) {
      const { kid, retiresAt, expiresAt } = plan.predecessor;
      await repository.update({ kid }, { retiresAt, expiresAt });
      await this.audit.append(
        manager,
        keyRetiredEvent(now, { kid, retiresAt, expiresAt, successor: generated.kid }),
      );
    }
    await repository.insert({
      kid: generated.kid,
      alg: this.config.keys.algorithm,
      publicJwk: JSON.stringify(generated.publicJwk),
      privateKey: encryptPrivateKey(JSON.stringify(generated.privateJwk), this.kek, generated.kid),
      protection: this.protection,
      createdAt: now,
      activatesAt: plan.activatesAt,
      retiresAt: null,
      expiresAt: null,
    });
    this.metrics.keyRotations.inc();
    await this.audit.append(
      manager,
      keyGeneratedEvent(now, {
        kid: generated.kid,
        alg: this.config.keys.algorithm,
        activatesAt: plan.activatesAt,
      }),
    );
    this.logger.log(
      `signing key ${generated.kid} (${this.config.keys.algorithm}) published; signs from ${new Date(plan.activatesAt * 1000).toISOString()}`,
    );
  }

  private usable(keys: SigningKeyEntity[]): SigningKeyEntity[] {
    return keys.filter((key) => !this.unusable.has(key.kid));
  }

  private importKey(row: SigningKeyEntity): Promise<CryptoKey> {
    let key = this.imported.get(row.kid);
    if (key === undefined) {
      key = this.decrypt(row);
      this.imported.set(row.kid, key);
      key.catch(() => this.imported.delete(row.kid));
    }
    return key;
  }

  private async decrypt(row: SigningKeyEntity): Promise<CryptoKey> {
    let plaintext: string;
    try {
      plaintext = decryptPrivateKey(row.privateKey, this.kekFor(row), row.kid);
    } catch (error) {
      throw new Error(`signing key ${row.kid} cannot be decrypted: ${describe(error)}`);
    }
    return importSigningKey(JSON.parse(plaintext) as JWK, row.alg as DomainSigningAlgorithm);
  }

  private kekFor(row: SigningKeyEntity): Buffer {
    if (row.protection === 'kek') {
      if (this.protection !== 'kek') {
        throw new Error(
          'it was stored under a key-encryption key, and keys.encryptionKeyEnv is not configured',
        );
      }
      return this.kek;
    }
    if (row.protection === 'demo' && this.config.mode === 'demo') {
      return demoKeyEncryptionKey(this.config.issuer);
    }
    throw new Error(
      `its protection "${row.protection}" is not accepted in ${this.config.mode} mode`,
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
