import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The hash-chained audit log and its chain-head table (the row is created by AuditLog at start). */
export class AuditLog1764300000000 implements MigrationInterface {
  name = 'AuditLog1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_event',
        columns: [
          { name: 'seq', type: 'bigint', isPrimary: true },
          { name: 'at', type: 'bigint' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'issuer', type: 'varchar', length: '2048', isNullable: true },
          { name: 'jti', type: 'varchar', length: '256', isNullable: true },
          { name: 'parent_issuer', type: 'varchar', length: '2048', isNullable: true },
          { name: 'parent_jti', type: 'varchar', length: '256', isNullable: true },
          { name: 'subject', type: 'varchar', length: '1024', isNullable: true },
          { name: 'client_id', type: 'varchar', length: '256', isNullable: true },
          { name: 'cnf_jkt', type: 'varchar', length: '64', isNullable: true },
          { name: 'data', type: 'text' },
          { name: 'prev_hash', type: 'varchar', length: '64' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
        indices: [
          new TableIndex({ name: 'idx_audit_event_at', columnNames: ['at'] }),
          new TableIndex({ name: 'idx_audit_event_jti', columnNames: ['jti'] }),
          new TableIndex({ name: 'idx_audit_event_parent', columnNames: ['parent_jti'] }),
          new TableIndex({ name: 'idx_audit_event_subject', columnNames: ['subject'] }),
          new TableIndex({ name: 'idx_audit_event_client', columnNames: ['client_id'] }),
          new TableIndex({ name: 'idx_audit_event_jkt', columnNames: ['cnf_jkt'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_head',
        columns: [
          { name: 'id', type: 'varchar', length: '32', isPrimary: true },
          { name: 'seq', type: 'bigint' },
          { name: 'hash', type: 'varchar', length: '64' },
          { name: 'anchor_seq', type: 'bigint' },
          { name: 'anchor_hash', type: 'varchar', length: '64' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_head');
    await queryRunner.dropTable('audit_event');
  }
}
