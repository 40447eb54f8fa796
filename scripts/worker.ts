// `npm run worker`: the executor alone. More workers may run beside the web app on the same database.
import { migrateDatabase } from '@/db/migrate';
import { isBusyError, runWorker } from '@/lib/worker/worker';

/**
 * Several workers may start at once. On SQLite a migration check that finds the database busy tries
 * again; on PostgreSQL the migrations take an advisory lock, so starting workers migrate one at a time.
 */
async function migrateWithRetry(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateDatabase();
      return;
    } catch (error) {
      if (!isBusyError(error) || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

migrateWithRetry()
  .then(() =>
    runWorker({
      workerId: process.env.TARMO_WORKER_ID,
      pollMs: Number(process.env.TARMO_WORKER_POLL_MS || 500),
    }),
  )
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error('worker stopped:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
