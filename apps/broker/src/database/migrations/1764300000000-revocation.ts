import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/** Revocation: each issued token's status list slot and revocation time; the status lists. */
export class Revocation1764300000000 implements MigrationInterface {
  name = 'Revocation1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('issued_token', [
      new TableColumn({ name: 'status_list', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'status_idx', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'revoked_at', type: 'bigint', isNullable: true }),
    ]);
    await queryRunner.createIndices('issued_token', [
      new TableIndex({
        name: 'idx_issued_token_status',
        columnNames: ['status_list', 'status_idx'],
        isUnique: true,
      }),
      new TableIndex({ name: 'idx_issued_token_sub', columnNames: ['sub'] }),
      new TableIndex({ name: 'idx_issued_token_jkt', columnNames: ['cnf_jkt'] }),
      new TableIndex({ name: 'idx_issued_token_client', columnNames: ['client_id'] }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'status_list',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'size', type: 'integer' },
          { name: 'allocated', type: 'integer' },
          { name: 'permutation_key', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('status_list');
    for (const name of ['status', 'sub', 'jkt', 'client']) {
      await queryRunner.dropIndex('issued_token', `idx_issued_token_${name}`);
    }
    for (const column of ['revoked_at', 'status_idx', 'status_list']) {
      await queryRunner.dropColumn('issued_token', column);
    }
  }
}
