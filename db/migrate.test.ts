import { describe, expect, it } from 'vitest';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { migrateSqlite } from './migrate';
import * as schema from './schema';
import { isPostgresMode, useTempDatabase } from '@/tests/helpers/db';

const db = useTempDatabase();

/** Every table of the schema declaration (db/schema), so a new table is covered without listing it. */
const declaredTables = Object.values(schema as Record<string, unknown>)
  .filter((value): value is SQLiteTable => is(value, SQLiteTable))
  .map((table) => getTableConfig(table).name)
  .sort();

// SQLite migrations, file pragmas and triggers; the PostgreSQL ones are covered by tests/pg/migrations.test.ts.
describe.skipIf(isPostgresMode())('migrations', () => {
  it('apply to an empty file and create exactly the tables the schema declares', () => {
    const tables = db
      .sqlite()
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations'",
      )
      .all()
      .map((row) => (row as { name: string }).name)
      .sort();
    expect(declaredTables.length).toBeGreaterThan(20);
    expect(tables).toEqual(declaredTables);
  });

  it('are idempotent: running them again changes nothing', () => {
    const before = db.sqlite().prepare('select count(*) as n from __drizzle_migrations').get() as {
      n: number;
    };
    migrateSqlite();
    migrateSqlite();
    const after = db.sqlite().prepare('select count(*) as n from __drizzle_migrations').get() as {
      n: number;
    };
    expect(after.n).toBe(before.n);
  });

  it('open the file with WAL, foreign keys, a busy timeout and secure_delete', () => {
    const sqlite = db.sqlite();
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('secure_delete', { simple: true })).toBe(1);
    expect(Number(sqlite.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
  });

  it('make the consent ledger append-only', () => {
    const sqlite = db.sqlite();
    sqlite
      .prepare(
        `insert into consent_events (customer_id, purpose_id, theme_key, action, state_after, source, evidence_digest, occurred_at, prev_hash, hash)
         values (1, 1, '', 'grant', 'granted', 'staff', 'x', 0, 'genesis', 'h')`,
      )
      .run();
    expect(() => sqlite.prepare("update consent_events set action = 'withdraw'").run()).toThrow(
      /append-only/,
    );
    expect(() => sqlite.prepare('delete from consent_events').run()).toThrow(/append-only/);
  });
});
