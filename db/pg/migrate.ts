import path from 'node:path';
import { Client } from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { ADVISORY_LOCK_KEYS } from '../advisory-locks';

export const PG_MIGRATIONS = path.resolve(/*turbopackIgnore: true*/ process.cwd(), 'db/migrations/pg');

/** Every process migrating the same database queues on this advisory lock. */
const MIGRATION_LOCK_KEY = ADVISORY_LOCK_KEYS.MIGRATION;

/**
 * Applies the committed PostgreSQL migrations; running it again is a no-op. Several web and
 * worker processes may start at once, so migrations run one at a time under a session-level
 * advisory lock on a dedicated connection.
 */
export async function migratePostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url, application_name: 'tarmo-migrate' });
  await client.connect();
  try {
    // Quiet "already exists, skipping" notices from the migrator's own CREATE … IF NOT EXISTS.
    await client.query(`SET client_min_messages = warning`);
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migrate(drizzle(client), { migrationsFolder: PG_MIGRATIONS });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
