import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import path from 'node:path';
import { openSqlite } from './client';

export const SQLITE_MIGRATIONS = path.resolve(
  /*turbopackIgnore: true*/ process.cwd(),
  'db/migrations/sqlite',
);

/** Applies the committed migrations; running it again is a no-op. */
export function migrateSqlite(url?: string): void {
  const handle = openSqlite(url);
  migrate(handle.db, { migrationsFolder: SQLITE_MIGRATIONS });
}
