import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ConfigError, resolveConfigPath } from '@baton/config';
import { BROKER_CONFIG_PATH, loadBrokerConfigFile } from '../config/load-broker-config-file.js';
import { databaseOptions } from '../database/database-options.js';
import { verifyStoredAuditLog } from './audit-log.reader.js';

export interface AuditCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `Usage: node dist/apps/broker/src/audit-main.js verify --config <broker config> [--json]

Check the domain's whole audit log: every event's hash, the chain of prev_hash values, the
sequence and the chain head. Names the first event that was altered, removed or inserted.

Exit status: 0 the log verifies, 1 it does not, 2 usage or configuration error, 70 internal error.
`;

/**
 * `audit verify`: the broker-side audit command. It reads the domain's database with the
 * broker's own configuration and entities, which is why it lives in the broker app and not in
 * the `baton` CLI (that one depends on jose alone and never opens a database).
 */
export async function runAuditCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: AuditCommandIo,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'verify') {
    io.stderr(
      command === undefined || command === '--help'
        ? USAGE
        : `baton audit: unknown command\n\n${USAGE}`,
    );
    return command === '--help' ? 0 : 2;
  }
  let values: { json?: boolean; config?: string };
  try {
    values = parseArgs({
      args: [...rest],
      options: { config: { type: 'string' }, json: { type: 'boolean' } },
    }).values;
    const config = loadBrokerConfigFile(
      resolveConfigPath(
        values.config === undefined ? [] : ['--config', values.config],
        env,
        BROKER_CONFIG_PATH,
      ),
      env,
    );
    const dataSource = new DataSource({
      ...databaseOptions(config.database, config.databaseTimeouts),
      migrationsRun: false,
    });
    await dataSource.initialize();
    try {
      if (!(await hasAuditLog(dataSource))) {
        io.stderr(
          `baton audit: ${config.issuer} has no audit log in this database (has its broker run on it?)\n`,
        );
        return 2;
      }
      const verdict = await verifyStoredAuditLog(dataSource.manager);
      io.stdout(
        values.json === true
          ? `${JSON.stringify({ issuer: config.issuer, ...verdict })}\n`
          : verdict.valid
            ? `VALID  audit log of ${config.issuer}: ${verdict.events} event(s), head seq ${verdict.headSeq} hash ${verdict.headHash}\n`
            : `INVALID  audit log of ${config.issuer}: ${verdict.message}\n`,
      );
      return verdict.valid ? 0 : 1;
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    if (error instanceof ConfigError || (error instanceof TypeError && 'code' in error)) {
      io.stderr(`baton audit: ${error.message}\n`);
      return 2;
    }
    io.stderr(`baton audit: ${error instanceof Error ? error.message : String(error)}\n`);
    return 70;
  }
}

async function hasAuditLog(dataSource: DataSource): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  try {
    return (await runner.hasTable('audit_event')) && (await runner.hasTable('audit_head'));
  } finally {
    await runner.release();
  }
}
