import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** Token endpoint state: issued tokens, single-use jtis, the DPoP nonce secret. */
export class TokenEndpoint1764201000000 implements MigrationInterface {
  name = 'TokenEndpoint1764201000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'issued_token',
        columns: [
          { name: 'jti', type: 'varchar', length: '64', isPrimary: true },
          { name: 'issuer', type: 'varchar', length: '2048' },
          { name: 'grant_type', type: 'varchar', length: '128' },
          { name: 'parent_jti', type: 'varchar', length: '256', isNullable: true },
          { name: 'parent_issuer', type: 'varchar', length: '2048', isNullable: true },
          { name: 'client_id', type: 'varchar', length: '256' },
          { name: 'sub', type: 'varchar', length: '1024' },
          { name: 'aud', type: 'varchar', length: '2048' },
          { name: 'scope', type: 'text' },
          { name: 'cnf_jkt', type: 'varchar', length: '64' },
          { name: 'iat', type: 'bigint' },
          { name: 'exp', type: 'bigint' },
          { name: 'depth', type: 'integer' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'link_hash', type: 'varchar', length: '64' },
          { name: 'chain_hashes', type: 'text' },
          { name: 'links', type: 'text' },
        ],
        indices: [
          new TableIndex({ name: 'idx_issued_token_parent', columnNames: ['parent_jti'] }),
          new TableIndex({ name: 'idx_issued_token_exp', columnNames: ['exp'] }),
          new TableIndex({
            name: 'idx_issued_token_hash',
            columnNames: ['token_hash'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'seen_jti',
        columns: [
          { name: 'key', type: 'varchar', length: '96', isPrimary: true },
          { name: 'expires_at', type: 'bigint' },
        ],
        indices: [new TableIndex({ name: 'idx_seen_jti_expires', columnNames: ['expires_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'dpop_nonce_secret',
        columns: [
          { name: 'id', type: 'varchar', length: '32', isPrimary: true },
          { name: 'secret', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('dpop_nonce_secret');
    await queryRunner.dropTable('seen_jti');
    await queryRunner.dropTable('issued_token');
  }
}
