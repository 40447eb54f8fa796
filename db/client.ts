import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import * as schema from './schema';
import { appEnv, sqlitePathFromUrl } from '@/lib/config/env';

export type Db = BetterSQLite3Database<typeof schema>;
export type SqliteHandle = { db: Db; sqlite: Database.Database; file: string };

const handles = new Map<string, SqliteHandle>();

/** Opens (once per process) the SQLite file with the pragmas Tarmo relies on. */
export function openSqlite(url: string = appEnv().DATABASE_URL): SqliteHandle {
  if (!url.startsWith('file:')) {
    // Never fall back to a stray file named after a server URL.
    throw new Error(
      'This command runs on the SQLite store only (DATABASE_URL=file:…); PostgreSQL is supported by db:migrate, db:copy and the db/pg store.',
    );
  }
  const file = sqlitePathFromUrl(url);
  const existing = handles.get(file);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  // Erased personal data must not linger in free pages.
  sqlite.pragma('secure_delete = ON');
  // 64 MiB page cache (default 2 MiB): an executor batch dirties more pages than 2 MiB (outbox
  // rows, step events, the random-keyed token hash index), and SQLite then spills them to the WAL
  // mid-transaction and writes them again at commit. Measured with bench:executor at 100k customers.
  sqlite.pragma('cache_size = -65536');
  // Checkpoint every ~40 MiB of WAL (default ~4 MiB): with the default, nearly every executor batch
  // commit also checkpointed (copying its pages to the database file and syncing twice), and pages
  // that the next batches change again were copied again. Measured +7% with bench:executor.
  sqlite.pragma('wal_autocheckpoint = 10000');
  const handle = { db: drizzle(sqlite, { schema }), sqlite, file };
  handles.set(file, handle);
  return handle;
}

export function closeSqlite(url: string = appEnv().DATABASE_URL): void {
  const file = sqlitePathFromUrl(url);
  handles.get(file)?.sqlite.close();
  handles.delete(file);
}

/** The default database of this process. */
export function getDb(): Db {
  return openSqlite().db;
}

/**
 * Runs fn in one IMMEDIATE transaction (takes the write lock up front, so two writers never
 * deadlock on upgrade). better-sqlite3 is synchronous, so fn must not await.
 */
export function writeTransaction<T>(fn: (db: Db) => T, handle: SqliteHandle = openSqlite()): T {
  return handle.sqlite.transaction(() => fn(handle.db)).immediate();
}
