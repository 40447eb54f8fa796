import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { sqlGet, writeTransaction } from '@/db/client';
import { enrollCustomer } from '@/lib/executor/lifecycle';
import {
  graphAround,
  insertFixtureCustomers,
  publishFixtureJourney,
  recordTestConsent,
  seedDemoPurposes,
} from '@/tests/fixtures/executor';
import { useTempDatabase } from '@/tests/helpers/db';
import { groupGone, signal, sleep, startWorker } from '@/tests/helpers/executor-crash';

/**
 * The web app and the worker are separate processes. A worker that polls only once a minute must
 * still run an enrollment made by another process, and a customer woken by a grant written by
 * another process, at once (db/work-signal.ts: a file beside SQLite, NOTIFY on PostgreSQL).
 */
const database = useTempDatabase();
const POLL_MS = '60000';
let worker: ChildProcess | undefined;

afterAll(async () => {
  if (!worker) return;
  signal(worker, 'SIGKILL');
  await groupGone(worker);
});

async function stateOf(enrollmentId: number) {
  return (await sqlGet(database.handle().db, 'SELECT state, node_id FROM enrollments WHERE id = ?', [
    enrollmentId,
  ])) as { state: string; node_id: string };
}

/** Polls the database (not the worker) until `check` holds; fails after `ms`. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

describe('work signal across processes', () => {
  it('wakes a worker in another process for a new enrollment and for a grant, long before its poll', async () => {
    await seedDemoPurposes();
    const customer = (await writeTransaction(async (db) => await insertFixtureCustomers(db, 1))).firstId;
    const { journeyId } = await writeTransaction(
      async (db) =>
        await publishFixtureJourney(
          db,
          'gate',
          graphAround(
            {
              id: 'gate',
              type: 'consent-gate',
              position: { x: 0, y: 100 },
              config: { purpose: 'newsletter', timeoutHours: 72 },
            },
            ['granted', 'not-granted', 'timed-out'],
          ),
        ),
    );

    worker = startWorker('signal-worker', { TARMO_WORKER_POLL_MS: POLL_MS });
    // Its first round runs at start; after that it sleeps for a minute unless signalled.
    const heartbeat = await eventually(
      async () => await sqlGet(database.handle().db, 'SELECT worker_id FROM worker_heartbeats'),
      (row) => row !== undefined,
      30_000,
    );
    expect(heartbeat).toBeDefined();
    await sleep(300);

    const enrolled = await enrollCustomer(journeyId, customer);
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    const waiting = await eventually(
      async () => await stateOf(enrolled.value.enrollmentId),
      (row) => row.state === 'waiting',
      10_000,
    );
    expect(waiting).toEqual({ state: 'waiting', node_id: 'gate' });

    await recordTestConsent(customer, 'newsletter', 'grant', 'form');
    const done = await eventually(
      async () => await stateOf(enrolled.value.enrollmentId),
      (row) => row.state === 'completed',
      10_000,
    );
    expect(done).toEqual({ state: 'completed', node_id: 'exit-granted' });
  }, 60_000);
});
