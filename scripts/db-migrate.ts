// `npm run db:migrate`: applies the committed migrations to DATABASE_URL
// (postgres:// or postgresql:// → PostgreSQL, db/migrations/pg; anything else → SQLite).
import { migrateDatabase } from '@/db/migrate';
import { isPostgresUrl } from '@/db/pg/pool';
import { appEnv } from '@/lib/config/env';
import { describeCliError } from './lib/cli-error';

async function main(): Promise<void> {
  const url = appEnv().DATABASE_URL;
  await migrateDatabase(url);
  if (isPostgresUrl(url)) {
    const parsed = new URL(url);
    // Host and database only: the URL may carry a password.
    console.log(`Migrations applied to PostgreSQL ${parsed.host}${parsed.pathname}`);
    return;
  }
  console.log(`Migrations applied to ${url.startsWith('file:') ? url : '(database)'}`);
}

main().catch((error: unknown) => {
  console.error('migration failed:', describeCliError(error));
  process.exit(1);
});
