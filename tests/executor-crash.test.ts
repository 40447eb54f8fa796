import { beforeAll, describe, expect, it } from 'vitest';
import { crashChecks, groupGone, signal, sleep, startWorker } from './helpers/executor-crash';
import { isPostgresMode, useTempDatabase } from './helpers/db';

/**
 * Durability under SIGKILL: real worker processes (`scripts/worker.ts` through tsx) on a real
 * SQLite file, killed at random moments and restarted. Every transition must happen exactly once.
 * tests/pg/executor-crash-pg.test.ts runs the same checks with three workers on PostgreSQL.
 */

const database = useTempDatabase();
const CUSTOMERS = 2000;
const checks = crashChecks(() => database.handle().db, CUSTOMERS);
const { stepEventCount, runningCount, leasedCount, waitUntilDone, expectExactlyOnce, publish } = checks;

beforeAll(async () => {
  await checks.seedCustomers();
});

// PostgreSQL mode (TEST_STORE=postgres): tests/pg/executor-crash-pg.test.ts runs these checks there,
// with three workers.
describe.skipIf(isPostgresMode())('executor under crashes', () => {
  it('reaches a terminal state exactly once per enrollment when the worker is SIGKILLed repeatedly', async () => {
    const journeyId = await publish();
    let killedHoldingLeases = 0;
    for (let kill = 0; kill < 5; kill++) {
      const worker = startWorker();
      // Kill only once this worker is making progress, at a random moment inside its work.
      const before = await stepEventCount(journeyId);
      const deadline = Date.now() + 30_000;
      while ((await stepEventCount(journeyId)) < before + 400 && Date.now() < deadline) await sleep(25);
      await sleep(Math.floor(Math.random() * 150));
      signal(worker, 'SIGKILL');
      await groupGone(worker);
      if ((await leasedCount(journeyId)) > 0) killedHoldingLeases++;
    }
    // The kills hit workers in the middle of the run (and usually mid-batch, leases left behind).
    expect(await runningCount(journeyId)).toBeGreaterThan(0);
    console.info(`${killedHoldingLeases} of 5 kills left leased enrollments behind`);
    const survivor = startWorker();
    await waitUntilDone(journeyId, 60_000);
    signal(survivor, 'SIGTERM');
    await groupGone(survivor);
    expect(survivor.exitCode).toBe(0);
    await expectExactlyOnce(journeyId);
  }, 110_000);

  it('two workers on the same database never run the same transition twice', async () => {
    const journeyId = await publish();
    const first = startWorker();
    const second = startWorker();
    // Kill one of them mid-run: the other finishes its leased work once the lease expires.
    const before = await stepEventCount(journeyId);
    while ((await stepEventCount(journeyId)) < before + 2000) await sleep(25);
    signal(first, 'SIGKILL');
    await groupGone(first);
    await waitUntilDone(journeyId, 60_000);
    signal(second, 'SIGTERM');
    await groupGone(second);
    await expectExactlyOnce(journeyId);
  }, 90_000);
});
