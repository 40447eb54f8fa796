import { bigint, customType, integer, jsonb, smallint } from 'drizzle-orm/pg-core';

// The PostgreSQL half of the dialect-aware column helpers of db/schema/_columns.ts: same names,
// same stored values. The generated modules beside this file call them; this file is hand-written.

/**
 * Timestamps are stored exactly as on SQLite: milliseconds since the epoch in a bigint, read
 * back as a Date. Same values in both dialects means `db:copy` moves rows verbatim and the
 * consent ledger's hashes (which cover occurred_at) verify on the copy.
 */
const msTimestamp = customType<{ data: Date; driverData: string | number }>({
  dataType: () => 'bigint',
  toDriver: (value) => value.getTime(),
  fromDriver: (value) => new Date(Number(value)),
});

/**
 * Identity, plus the fill_null_id BEFORE INSERT trigger (migration 0008): drizzle's SQLite
 * dialect, which the store speaks on both databases, sends an omitted id as an explicit NULL.
 */
export const id = () => integer('id').primaryKey().generatedByDefaultAsIdentity();
export const timestamp = (name: string) => msTimestamp(name);
export const createdAt = () =>
  timestamp('created_at')
    .notNull()
    .$defaultFn(() => new Date());
/**
 * Booleans are 0/1 in a smallint, exactly as SQLite stores them: the store runs drizzle's SQLite
 * dialect on both databases, so it sends 0/1, compares with `= 1`, and maps back with `=== 1`.
 */
export const bool = (name: string) => smallint(name);
/** jsonb, read back as text by db/pg/pool.ts (as SQLite gives it) and parsed by the store. */
export const json = (name: string) => jsonb(name);
/** Plain millisecond numbers (run_at, lease_expires_at, …): integer on SQLite is 64-bit, so bigint here. */
export const ms = (name: string) => bigint(name, { mode: 'number' });
