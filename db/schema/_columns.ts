import { integer, text } from 'drizzle-orm/sqlite-core';
import type { Column } from 'drizzle-orm';

/**
 * Dialect-aware column helpers: the one place that decides how a kind of value is stored.
 * db/schema/*.ts (the only schema declaration) builds its SQLite tables with them, and each
 * helper tags its column with the name of its PostgreSQL counterpart in db/pg/schema/_columns.ts,
 * which `npm run db:schema` (db/schema-codegen.ts) uses to write the generated PostgreSQL schema.
 * Plain `integer(...)` and `text(...)` columns need no helper: they are the same in both dialects.
 *
 * Stored values are the same in both databases (so `db:copy` moves rows verbatim and the ledger
 * hashes verify on a copy): timestamps and other instants are millisecond numbers (bigint on
 * PostgreSQL), booleans 0/1 (smallint), JSON as text (jsonb, read back as text by db/pg/pool.ts),
 * ids `integer` with autoincrement (identity plus the fill_null_id trigger on PostgreSQL).
 */
export type PgColumnHelper = 'id' | 'timestamp' | 'createdAt' | 'bool' | 'json' | 'ms';

const PG_HELPER = Symbol.for('tarmo.pgColumnHelper');

function tag<B>(builder: B, helper: PgColumnHelper): B {
  (builder as unknown as { config: Record<symbol, unknown> }).config[PG_HELPER] = helper;
  return builder;
}

/** The PostgreSQL helper a column was declared with (undefined for plain integer/text columns). */
export function pgHelperOf(column: Column): PgColumnHelper | undefined {
  const config = (column as unknown as { config: Record<symbol, PgColumnHelper | undefined> }).config;
  return config[PG_HELPER];
}

/** The surrogate key `id`: autoincrement on SQLite, identity on PostgreSQL. */
export const id = () => tag(integer('id').primaryKey({ autoIncrement: true }), 'id');

/** Milliseconds since the epoch, read back as a Date. */
export const timestamp = (name: string) => tag(integer(name, { mode: 'timestamp_ms' }), 'timestamp');

/** `created_at`, filled with the current time on insert. */
export const createdAt = () =>
  tag(
    integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .$defaultFn(() => new Date()),
    'createdAt',
  );

/** 0/1, read back as a boolean. */
export const bool = (name: string) => tag(integer(name, { mode: 'boolean' }), 'bool');

/** JSON, stored as text on SQLite and jsonb on PostgreSQL; typed with `.$type<T>()`. */
export const json = (name: string) => tag(text(name, { mode: 'json' }), 'json');

/**
 * A plain millisecond number compared in SQL (run_at, lease_expires_at, …): SQLite's integer is
 * 64-bit, so PostgreSQL needs bigint, not integer.
 */
export const ms = (name: string) => tag(integer(name, { mode: 'number' }), 'ms');
