import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Signing keys and the lock rows that serialise key rotation across replicas. */
export class SigningKeys1764200000000 implements MigrationInterface {
  name = 'SigningKeys1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'signing_key',
        columns: [
          { name: 'kid', type: 'varchar', length: '64', isPrimary: true },
          { name: 'alg', type: 'varchar', length: '16' },
          { name: 'public_jwk', type: 'text' },
          { name: 'private_key', type: 'text' },
          { name: 'protection', type: 'varchar', length: '16' },
          { name: 'created_at', type: 'bigint' },
          { name: 'activates_at', type: 'bigint' },
          { name: 'retires_at', type: 'bigint', isNullable: true },
          { name: 'expires_at', type: 'bigint', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex(
      'signing_key',
      new TableIndex({ name: 'idx_signing_key_activates', columnNames: ['activates_at'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'baton_lock',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'acquired_at', type: 'bigint', isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('baton_lock');
    await queryRunner.dropTable('signing_key');
  }
}
