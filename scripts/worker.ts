// `npm run worker`: the executor alone. More workers may run beside the web app on the same database.
import { runWorker } from '@/lib/executor/worker';
import { migrateSqlite } from '@/db/migrate';

migrateSqlite();
runWorker({ workerId: process.env.TARMO_WORKER_ID, pollMs: Number(process.env.TARMO_WORKER_POLL_MS || 500) }).catch(
  (error: unknown) => {
    console.error('worker stopped:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
