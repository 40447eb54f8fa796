import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { activeTx, handleOf, preparedStatement, sqliteConnectionOf, type Db, type DbHandle } from './handles';
import { toPostgresSql, type SqlParams } from './sql-text';

// Portable raw SQL, for the statements the query builder cannot express or where building the
// query each time cost more than running it (measured in the benchmarks). `?` or `@name`
// placeholders; the text must run on both SQLite and PostgreSQL (or branch on dialectOf).

export type { SqlParams };

/** What `.run()` resolves to on both stores (drizzle passes the callback's result through). */
export interface RunResult {
  rows: unknown[];
  changes: number;
}

/**
 * Runs `run` on the SQLite connection of the current transaction, or (outside one) on the write
 * connection once no other transaction holds it, so a statement never lands inside another
 * request's open transaction.
 */
async function onSqlite<T>(handle: DbHandle, run: (connection: ReturnType<typeof sqliteConnectionOf>) => T) {
  const release = activeTx(handle) || !handle.lock.busy ? undefined : await handle.lock.acquire();
  try {
    return run(sqliteConnectionOf(handle));
  } finally {
    release?.();
  }
}

function postgresQueryable(handle: DbHandle) {
  return activeTx(handle)?.client ?? handle.pool!;
}

/** All rows, as objects keyed by column name. */
export async function sqlAll<T>(db: Db, text: string, params: SqlParams = []): Promise<T[]> {
  const handle = handleOf(db);
  if (handle.sqlite) return onSqlite(handle, (sqlite) => preparedStatement(sqlite, text).all(params) as T[]);
  const [converted, values] = toPostgresSql(text, params);
  const result = await postgresQueryable(handle).query(converted, values);
  return result.rows as T[];
}

export async function sqlGet<T>(db: Db, text: string, params: SqlParams = []): Promise<T | undefined> {
  const handle = handleOf(db);
  if (handle.sqlite)
    return onSqlite(handle, (sqlite) => preparedStatement(sqlite, text).get(params) as T | undefined);
  return (await sqlAll<T>(db, text, params))[0];
}

/**
 * Inserts one row and returns its `id` (undefined when nothing was inserted, e.g. ON CONFLICT DO
 * NOTHING). `text` is an INSERT without RETURNING: SQLite takes the id from run()'s
 * lastInsertRowid (measured ~3 µs per row cheaper than RETURNING), PostgreSQL appends
 * `RETURNING id`.
 */
export async function sqlInsertId(db: Db, text: string, params: SqlParams = []): Promise<number | undefined> {
  const handle = handleOf(db);
  if (handle.sqlite)
    return onSqlite(handle, (sqlite) => {
      const info = preparedStatement(sqlite, text).run(params);
      return info.changes === 1 ? Number(info.lastInsertRowid) : undefined;
    });
  const row = (await sqlAll<{ id: number }>(db, `${text} RETURNING id`, params))[0];
  return row?.id;
}

/**
 * Runs a one-row INSERT (without RETURNING) once per parameter list and returns each row's `id`
 * (undefined where nothing was inserted), in order. SQLite steps one prepared statement per row,
 * synchronously, cheaper for a batch than a multi-row VALUES … RETURNING (db/store/customers.ts
 * insertEvents). PostgreSQL runs `… RETURNING id` per row, a round trip each: batch-shaped
 * PostgreSQL callers use a set-based statement instead. Meant for inside a transaction: outside
 * one, every row would commit on its own.
 */
export async function sqlInsertIds(
  db: Db,
  text: string,
  rows: readonly SqlParams[],
): Promise<(number | undefined)[]> {
  const handle = handleOf(db);
  if (handle.sqlite)
    return onSqlite(handle, (sqlite) => {
      const statement = preparedStatement(sqlite, text);
      return rows.map((params) => {
        const info = statement.run(params);
        return info.changes === 1 ? Number(info.lastInsertRowid) : undefined;
      });
    });
  const ids: (number | undefined)[] = [];
  for (const params of rows) ids.push(await sqlInsertId(db, text, params));
  return ids;
}

export async function sqlRun(db: Db, text: string, params: SqlParams = []): Promise<RunResult> {
  const handle = handleOf(db);
  if (handle.sqlite)
    return onSqlite(handle, (sqlite) => ({
      rows: [],
      changes: preparedStatement(sqlite, text).run(params).changes,
    }));
  const [converted, values] = toPostgresSql(text, params);
  const result = await postgresQueryable(handle).query(converted, values);
  return { rows: result.rows, changes: result.rowCount ?? 0 };
}

const dialect = new SQLiteAsyncDialect();

/** A drizzle `sql` fragment's rows as objects (drizzle's own db.all would hand back arrays here). */
export async function queryAll<T>(db: Db, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return sqlAll<T>(db, text, params);
}

export async function queryGet<T>(db: Db, query: SQL): Promise<T | undefined> {
  return (await queryAll<T>(db, query))[0];
}
