/** Helpers for the audit tests: read a domain's log and tamper with it through its own DataSource. */
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../../apps/broker/src/audit/audit-event.entity.js';
import { verifyStoredAuditLog } from '../../apps/broker/src/audit/audit-log.reader.js';
import type { AuditLogVerdict } from '../../apps/broker/src/audit/verify-audit-log.js';
import type { BrokerDomain } from '../support/index.js';

export function dataSourceOf(domain: BrokerDomain): DataSource {
  return domain.app.get(DataSource);
}

export function eventsOf(domain: BrokerDomain, kind?: string): Promise<AuditEventEntity[]> {
  return dataSourceOf(domain)
    .getRepository(AuditEventEntity)
    .find({ where: kind === undefined ? {} : { kind }, order: { seq: 'ASC' } });
}

export function verifyLogOf(domain: BrokerDomain): Promise<AuditLogVerdict> {
  return verifyStoredAuditLog(dataSourceOf(domain).manager);
}

/** The table's name as raw SQL needs it (schema-qualified on PostgreSQL). */
export function auditTable(domain: BrokerDomain): string {
  const schema =
    domain.config.database.type === 'postgres' ? domain.config.database.schema : undefined;
  return schema === undefined ? 'audit_event' : `"${schema}".audit_event`;
}

/** A real database fault between the token record and its event: the event's insert fails. */
export async function failTokenEvents(domain: BrokerDomain, on: boolean): Promise<void> {
  const db = dataSourceOf(domain);
  const table = auditTable(domain);
  if (domain.config.database.type === 'postgres') {
    const schema = `"${domain.config.database.schema}"`;
    await db.query(
      on
        ? `CREATE OR REPLACE FUNCTION ${schema}.fail_token_event() RETURNS trigger AS $$
             BEGIN IF NEW.kind = 'token.issued' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END
           $$ LANGUAGE plpgsql`
        : `DROP TRIGGER fail_token_event ON ${table}`,
    );
    if (on) {
      await db.query(
        `CREATE TRIGGER fail_token_event BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${schema}.fail_token_event()`,
      );
    }
    return;
  }
  await db.query(
    on
      ? `CREATE TRIGGER fail_token_event BEFORE INSERT ON audit_event WHEN NEW.kind = 'token.issued'
           BEGIN SELECT RAISE(ABORT, 'injected fault'); END`
      : 'DROP TRIGGER fail_token_event',
  );
}
