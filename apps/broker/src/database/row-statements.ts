import type {
  DataSource,
  EntityManager,
  EntityMetadata,
  EntityTarget,
  ObjectLiteral,
} from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver.js';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { queryRows, runStatement } from './prepared-query.js';

/** What a statement text depends on: one data source's driver, schema and entity metadata. */
interface Source {
  readonly metadata: EntityMetadata;
  readonly postgres: boolean;
  /** Statement texts by shape (kind, columns, row or key count). */
  readonly texts: Map<string, string>;
}

/**
 * One write of a unit of writes (DatabaseTransactions.writeRows), as data: `run` executes it as
 * its own statement; `bundled` gives it as a statement of the SQLite trigger body that writes the
 * whole unit in one statement (sqlite-write-bundle.ts), or undefined when one of its values
 * would not reach the table unchanged through JSON.
 */
export interface RowWrite {
  run(manager: EntityManager): Promise<void>;
  bundled(): BundledWrite | undefined;
}

/** A write as a trigger-body statement and the JSON values it reads from the trigger's payload. */
export interface BundledWrite {
  /** The statement, reading its values at `path` of the payload (`NEW.payload`). */
  statement(path: string): string;
  /** Strings, finite numbers, booleans and nulls only (what a bound parameter would carry). */
  readonly values: unknown;
}

/**
 * The issuance path's statements as plain parameterised SQL: a multi-row INSERT, a SELECT by
 * key, a row lock and an update by key. The text is built from the entity's TypeORM metadata
 * (schema-qualified table, column names; values through the driver's conversion and the column's
 * transformer, as TypeORM does) once per shape and reused, so a statement costs its parameters
 * and the driver round trip. TypeORM's query builders rebuild and re-escape every statement,
 * which the issuance profiles showed as 15–24% of the broker's main thread
 * (docs/performance.md).
 *
 * Values go only through bound parameters; identifiers come only from entity metadata.
 */
export class RowStatements<Entity extends ObjectLiteral> {
  private readonly sources = new WeakMap<DataSource, Source>();

  constructor(private readonly entity: EntityTarget<Entity>) {}

  /** Insert `rows` (every column given; an absent value is `null`) in one statement. */
  async insert(manager: EntityManager, rows: readonly Entity[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    const { driver } = manager.connection;
    const columns = this.source(manager).metadata.columns;
    const text = this.text(manager, `insert:${rows.length}`, (p) => {
      const names = columns.map((column) => quote(column.databaseName)).join(', ');
      let next = 0;
      const tuples = rows.map(() => `(${columns.map(() => p(++next)).join(', ')})`);
      return `INSERT INTO ${this.table(manager)} (${names}) VALUES ${tuples.join(', ')}`;
    });
    const parameters: unknown[] = [];
    for (const row of rows) {
      for (const column of columns) {
        parameters.push(persistent(driver, column.getEntityValue(row) ?? null, column));
      }
    }
    await runStatement(manager, text, parameters);
  }

  /** `insert` of `rows`, as a write of a unit (see {@link RowWrite}). */
  insertWrite(manager: EntityManager, rows: readonly Entity[]): RowWrite {
    return {
      run: (target) => this.insert(target, rows),
      bundled: () => {
        const { driver } = manager.connection;
        const columns = this.source(manager).metadata.columns;
        const values = rows.map((row) =>
          columns.map((column) => persistent(driver, column.getEntityValue(row) ?? null, column)),
        );
        if (!values.every((row) => row.every(carriedByJson))) {
          return undefined;
        }
        const names = columns.map((column) => quote(column.databaseName)).join(', ');
        const extracts = columns.map((_, i) => `value ->> ${i}`).join(', ');
        return {
          statement: (path) =>
            `INSERT INTO ${this.triggerTable(manager)} (${names}) SELECT ${extracts} FROM json_each(NEW.payload, '${path}')`,
          values,
        };
      },
    };
  }

  /** `update` of the row whose `key` property is `value`, as a write of a unit. */
  updateWrite<K extends keyof Entity & string>(
    manager: EntityManager,
    key: K,
    value: unknown,
    values: Partial<Entity>,
  ): RowWrite {
    return {
      run: (target) => this.update(target, key, value, values),
      bundled: () => {
        const { driver } = manager.connection;
        const keyColumn = this.column(manager, key);
        const columns = Object.keys(values)
          .sort()
          .map((property) => this.column(manager, property));
        const bound = [
          ...columns.map((column) => persistent(driver, column.getEntityValue(values), column)),
          persistent(driver, value, keyColumn),
        ];
        if (!bound.every(carriedByJson)) {
          return undefined;
        }
        return {
          statement: (path) => {
            const at = (i: number) => `NEW.payload ->> '${path}[${i}]'`;
            const assignments = columns.map(
              (column, i) => `${quote(column.databaseName)} = ${at(i)}`,
            );
            return `UPDATE ${this.triggerTable(manager)} SET ${assignments.join(', ')} WHERE ${quote(keyColumn.databaseName)} = ${at(columns.length)}`;
          },
          values: bound,
        };
      },
    };
  }

  /**
   * The rows whose `key` property is one of `keys`, with the `properties` asked for (values
   * converted back as TypeORM would: the driver's conversion, then the column's transformer).
   */
  selectIn<K extends keyof Entity & string>(
    manager: EntityManager,
    key: K,
    keys: readonly unknown[],
    properties: readonly K[],
  ): Promise<Pick<Entity, K>[]> {
    return this.select(manager, key, keys, properties, false);
  }

  private async select<K extends keyof Entity & string>(
    manager: EntityManager,
    key: K,
    keys: readonly unknown[],
    properties: readonly K[],
    forUpdate: boolean,
  ): Promise<Pick<Entity, K>[]> {
    if (keys.length === 0) {
      return [];
    }
    const { driver } = manager.connection;
    const keyColumn = this.column(manager, key);
    const selected = properties.map((property) => this.column(manager, property));
    const shape = `select:${key}:${properties.join(',')}:${keys.length}:${forUpdate}`;
    const text = this.text(manager, shape, (p, postgres) => {
      const names = selected.map((column) => quote(column.databaseName)).join(', ');
      const list = keys.map((_, i) => p(i + 1)).join(', ');
      const lock = forUpdate && postgres ? ' FOR UPDATE' : '';
      return `SELECT ${names} FROM ${this.table(manager)} WHERE ${quote(keyColumn.databaseName)} IN (${list})${lock}`;
    });
    const records = await queryRows(
      manager,
      text,
      keys.map((value) => persistent(driver, value, keyColumn)),
    );
    return records.map((record) => {
      const row: Record<string, unknown> = {};
      for (const column of selected) {
        row[column.propertyName] = hydrated(driver, record[column.databaseName], column);
      }
      return row as Pick<Entity, K>;
    });
  }

  /**
   * The row whose `key` property is `value`, with the `properties` asked for, locked until the
   * transaction ends; undefined when there is none. On PostgreSQL `SELECT … FOR UPDATE` takes
   * the row lock. On SQLite a plain SELECT: the broker's SQLite transactions begin IMMEDIATE
   * (sqlite-transaction.ts), so the transaction already holds the database write lock.
   */
  async selectLocked<K extends keyof Entity & string>(
    manager: EntityManager,
    key: K,
    value: unknown,
    properties: readonly K[],
  ): Promise<Pick<Entity, K> | undefined> {
    const [row] = await this.select(manager, key, [value], properties, true);
    return row;
  }

  /** Set `values` on the row whose `key` property is `value`. */
  async update<K extends keyof Entity & string>(
    manager: EntityManager,
    key: K,
    value: unknown,
    values: Partial<Entity>,
  ): Promise<void> {
    const { driver } = manager.connection;
    const keyColumn = this.column(manager, key);
    const properties = Object.keys(values).sort();
    const columns = properties.map((property) => this.column(manager, property));
    const text = this.text(manager, `update:${key}:${properties.join(',')}`, (p) => {
      const assignments = columns.map((column, i) => `${quote(column.databaseName)} = ${p(i + 1)}`);
      return `UPDATE ${this.table(manager)} SET ${assignments.join(', ')} WHERE ${quote(keyColumn.databaseName)} = ${p(columns.length + 1)}`;
    });
    await runStatement(manager, text, [
      ...columns.map((column) => persistent(driver, column.getEntityValue(values), column)),
      persistent(driver, value, keyColumn),
    ]);
  }

  /** The statement of `shape` for this data source, built on first use with its placeholders. */
  private text(
    manager: EntityManager,
    shape: string,
    build: (placeholder: (index: number) => string, postgres: boolean) => string,
  ): string {
    const source = this.source(manager);
    let text = source.texts.get(shape);
    if (text === undefined) {
      text = build(source.postgres ? (index) => `$${index}` : () => '?', source.postgres);
      source.texts.set(shape, text);
    }
    return text;
  }

  private source(manager: EntityManager): Source {
    const dataSource = manager.connection;
    let source = this.sources.get(dataSource);
    if (source === undefined) {
      source = {
        metadata: dataSource.getMetadata(this.entity),
        postgres: dataSource.options.type === 'postgres',
        texts: new Map(),
      };
      this.sources.set(dataSource, source);
    }
    return source;
  }

  /** The quoted table name, schema-qualified when the data source names a schema. */
  private table(manager: EntityManager): string {
    return this.source(manager).metadata.tablePath.split('.').map(quote).join('.');
  }

  /** The table as a trigger body names it: SQLite refuses a qualified name there. */
  private triggerTable(manager: EntityManager): string {
    return quote(this.source(manager).metadata.tableName);
  }

  private column(manager: EntityManager, property: string): ColumnMetadata {
    const column = this.source(manager).metadata.findColumnWithPropertyName(property);
    if (column === undefined) {
      throw new Error(`no column for property ${property}`);
    }
    return column;
  }
}

/** A value as the driver binds it: the column's transformer, then the driver's conversion. */
function persistent(driver: Driver, value: unknown, column: ColumnMetadata): unknown {
  return driver.preparePersistentValue(value, column) as unknown;
}

/** A value read back: the driver's conversion, then the column's transformer. */
function hydrated(driver: Driver, value: unknown, column: ColumnMetadata): unknown {
  return driver.prepareHydratedValue(value, column) as unknown;
}

/**
 * Whether JSON carries a bound value to the trigger unchanged: `->>` gives back the same SQL
 * value (TEXT, INTEGER, REAL or NULL; a boolean as 1 or 0, as node-sqlite3 binds it). Not a
 * string with a NUL character (`->>` ends the text there), nor a Buffer or a bigint.
 */
function carriedByJson(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && !value.includes('\0'))
  );
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
