import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { resetAppEnv } from '@/lib/config/env';
import { crashChecks, groupGone, signal, sleep, startWorker } from '../helpers/executor-crash';
import { createScratchDatabase, dropScratchDatabase, skipWithoutPostgres } from './helpers';

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
    let url = '';
    let dir = '';
    const checks = crashChecks(() => openDatabase(url).db, CUSTOMERS);

    beforeAll(async () => {
      url = await createScratchDatabase('tarmo_crash');
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-crash-pg-'));
      // The worker processes inherit these (and with them the ledger key in dir).
      process.env.DATABASE_URL = url;
      process.env.TARMO_DATA_DIR = dir;
      resetAppEnv();
      await migrateDatabase(url);
      await checks.seedCustomers();
    }, 60_000);

    afterAll(async () => {
      if (url) {
        await closeDatabase(url);
        await dropScratchDatabase(url);
      }
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

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
