// `npm run db:backup -- FILE`: a consistent copy of DATABASE_URL while Tarmo keeps running.
// SQLite: the online backup API; PostgreSQL: pg_dump --format=custom (README, Backups).
// The ledger key lives in $TARMO_DATA_DIR/secrets, not in the database: back that directory up too.
import { backupDatabase } from '@/db/backup';
import { appEnv } from '@/lib/config/env';
import { describeCliError } from './lib/cli-error';

async function main(): Promise<void> {
  const file = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
  if (!file) throw new Error('usage: npm run db:backup -- FILE');
  const env = appEnv();
  const started = Date.now();
  const result = await backupDatabase(env.DATABASE_URL, file);
  console.log(
    `Backup of the ${result.kind === 'postgres' ? 'PostgreSQL' : 'SQLite'} database written to ${file} ` +
      `(${result.bytes} bytes, ${Date.now() - started} ms).`,
  );
  console.log(
    `Also keep a copy of ${env.dataDir}/secrets (the ledger key): without it the ledger cannot be verified.`,
  );
}

main().catch((error: unknown) => {
  console.error('db:backup failed:', describeCliError(error));
  process.exit(1);
});
