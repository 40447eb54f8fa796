import { bigint, customType, smallint } from 'drizzle-orm/pg-core';

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
/** Plain millisecond numbers (run_at, lease_expires_at, …): integer on SQLite is 64-bit, so bigint here. */
export const ms = (name: string) => bigint(name, { mode: 'number' });
