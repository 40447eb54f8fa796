import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import path from 'node:path';
import { appEnv } from '@/lib/config/env';
import { openSqlite } from './client';
import { isPostgresUrl } from './pg/pool';
import { migratePostgres } from './pg/migrate';

export const SQLITE_MIGRATIONS = path.resolve(
  /*turbopackIgnore: true*/ process.cwd(),
  'db/migrations/sqlite',
);

/** Applies the committed SQLite migrations; running it again is a no-op. */
export function migrateSqlite(url?: string): void {
  const handle = openSqlite(url);
  migrate(drizzle(handle.sqlite), { migrationsFolder: SQLITE_MIGRATIONS });
}

/** Applies the migrations of whichever store the URL selects. */
export async function migrateDatabase(url: string = appEnv().DATABASE_URL): Promise<void> {
  if (isPostgresUrl(url)) await migratePostgres(url);
  else migrateSqlite(url);
}
