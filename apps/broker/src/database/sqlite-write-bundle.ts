import type { EntityManager } from 'typeorm';
import { runStatement } from './prepared-query.js';
import type { RowWrite } from './row-statements.js';

/** Views made on each connection, by trigger body (their TEMP objects die with the connection). */
const viewsByConnection = new WeakMap<object, Map<string, string>>();

/** Writes as one statement: the trigger body that runs them and the JSON array of their values. */
export interface WriteBundle {
  readonly body: string;
  readonly payload: string;
}

/**
 * `writes` as one SQLite statement, or undefined when a value would not reach its table
 * unchanged through JSON (`RowWrite.bundled`): the caller then runs them in a transaction.
 */
export function bundleOf(writes: readonly RowWrite[]): WriteBundle | undefined {
  const bundled = [];
  for (const write of writes) {
    const one = write.bundled();
    if (one === undefined) {
      return undefined;
    }
    bundled.push(one);
  }
  return {
    body: bundled.map((write, i) => `${write.statement(`$[${i}]`)};`).join('\n'),
    payload: JSON.stringify(bundled.map((write) => write.values)),
  };
}

/**
 * Runs a bundle as one statement: an INSERT of its values, as one JSON array, into a TEMP view
 * whose INSTEAD OF trigger runs each write in order, reading its values from that array. Outside
 * a transaction the statement commits by itself, so the writes take one call on the connection
 * (one wait for the thread pool and one turn of the event loop) instead of three in a row
 * (`BEGIN IMMEDIATE`, the writes side by side, `COMMIT`), and stay all or nothing: SQLite undoes
 * a failed statement whole, trigger writes included, and with `synchronous = FULL` answers only
 * once the commit is on disk.
 *
 * The view and its trigger are made once per connection and trigger body; values reach them
 * only through the bound JSON parameter, and the body's text comes only from entity metadata.
 */
export async function runBundle(manager: EntityManager, bundle: WriteBundle): Promise<void> {
  const view = await viewFor(manager, bundle.body);
  await runStatement(manager, `INSERT INTO "${view}" ("payload") VALUES (?)`, [bundle.payload]);
}

async function viewFor(manager: EntityManager, body: string): Promise<string> {
  const connection = (manager.connection.driver as unknown as { databaseConnection: object })
    .databaseConnection;
  let views = viewsByConnection.get(connection);
  if (views === undefined) {
    views = new Map();
    viewsByConnection.set(connection, views);
  }
  let view = views.get(body);
  if (view === undefined) {
    view = `baton_write_${views.size + 1}`;
    // IF NOT EXISTS: a view whose trigger failed to be made is completed on the next try.
    await manager.query(`CREATE TEMP VIEW IF NOT EXISTS "${view}" ("payload") AS SELECT NULL`);
    await manager.query(
      `CREATE TEMP TRIGGER IF NOT EXISTS "${view}_insert" INSTEAD OF INSERT ON "${view}" BEGIN\n${body}\nEND`,
    );
    views.set(body, view);
  }
  return view;
}
