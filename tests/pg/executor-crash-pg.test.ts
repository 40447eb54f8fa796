import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { crashChecks, groupGone, signal, sleep, startWorker } from '../helpers/executor-crash';
import { skipWithoutPostgres, usePostgresWorkspace } from '@/tests/helpers/postgres';

/**
 * The executor crash test on PostgreSQL: THREE real `scripts/worker.ts` processes at once on one
 * scratch database (the very store code the web app and `npm run worker` run), SIGKILLed at random
 * moments and replaced. Every enrollment must end exactly once, no mail may be queued twice, and
 * the step events must agree with the final positions.
 */

const CUSTOMERS = 2000;
const WORKERS = 3;
const KILLS = 6;

describe.skipIf(skipWithoutPostgres('tests/pg/executor-crash-pg.test.ts'))(
  'executor under crashes on PostgreSQL',
  () => {
    // The worker processes inherit its DATABASE_URL and TARMO_DATA_DIR (and with them the ledger key).
    const workspace = usePostgresWorkspace('tarmo_crash', async () => await checks.seedCustomers());
    const checks = crashChecks(() => openDatabase(workspace.url()).db, CUSTOMERS);

    it('three workers with SIGKILLs: every enrollment terminal exactly once, no duplicate mail', async () => {
      const journeyId = await checks.publish();
      const workers: ChildProcess[] = [];
      const ids: string[] = [];
      let started = 0;
      const start = (slot: number) => {
        ids[slot] = `crash-w${slot}-${started++}`;
        workers[slot] = startWorker(ids[slot]);
      };
      for (let slot = 0; slot < WORKERS; slot++) start(slot);
      let killedHoldingLeases = 0;
      try {
        for (let kill = 0; kill < KILLS; kill++) {
          // Kill a random worker once the three are making progress, at a random moment inside its work.
          const before = await checks.stepEventCount(journeyId);
          const deadline = Date.now() + 30_000;
          while ((await checks.stepEventCount(journeyId)) < before + 300 && Date.now() < deadline)
            await sleep(25);
          await sleep(Math.floor(Math.random() * 150));
          const victim = Math.floor(Math.random() * WORKERS);
          signal(workers[victim]!, 'SIGKILL');
          await groupGone(workers[victim]!);
          if ((await checks.leasedCount(journeyId, ids[victim])) > 0) killedHoldingLeases++;
          start(victim);
        }
        // The kills hit workers in the middle of the run.
        expect(await checks.runningCount(journeyId)).toBeGreaterThan(0);
        console.info(`${killedHoldingLeases} of ${KILLS} kills left the victim's leased enrollments behind`);
        await checks.waitUntilDone(journeyId, 90_000);
      } finally {
        for (const worker of workers) if (worker.exitCode === null) signal(worker, 'SIGTERM');
        for (const worker of workers) await groupGone(worker);
      }
      expect(workers.map((worker) => worker.exitCode)).toEqual(workers.map(() => 0));
      await checks.expectExactlyOnce(journeyId);
    }, 180_000);
  },
);
