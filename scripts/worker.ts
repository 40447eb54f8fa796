// `npm run worker`: the executor alone. More workers may run beside the web app on the same database.
import { log, setProcessRole } from '@/lib/config/log';
import { migrateDatabase } from '@/db/migrate';
import { startMetricsServerFromEnv } from '@/lib/operations/metrics-server';
import { isBusyError, runWorker } from '@/lib/worker/worker';

setProcessRole('worker');

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

async function main(): Promise<void> {
  await migrateWithRetry();
  // The worker's own metrics (executor, outbox) on an internal port: README, Operations.
  const metrics = await startMetricsServerFromEnv('TARMO_WORKER_METRICS_PORT');
  try {
    log().info('worker started');
    await runWorker({
      workerId: process.env.TARMO_WORKER_ID,
      pollMs: Number(process.env.TARMO_WORKER_POLL_MS || 500),
    });
  } finally {
    metrics?.close();
  }
}

main()
  .then(() => {
    log().info('worker stopped');
    process.exit(0);
  })
  .catch((error: unknown) => {
    log().fatal({ err: error }, 'worker stopped');
    process.exit(1);
  });
