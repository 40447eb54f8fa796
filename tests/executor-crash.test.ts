import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction, sqlAll, sqlGet } from '@/db/client';

import type { JourneyGraph } from '@/lib/journey';
import { onJourneyPublished } from '@/lib/executor/lifecycle';
import {
  insertFixtureCustomersSync,
  publishFixtureJourneySync,
  seedDemoPurposes,
} from '@/lib/executor/test-fixtures';
import { useTempDatabase } from './helpers/db';

/**
 * Durability under SIGKILL: real worker processes (`scripts/worker.ts` through tsx) on a real
 * SQLite file, killed at random moments and restarted. Every transition must happen exactly once.
 */

const database = useTempDatabase();
const CUSTOMERS = 2000;
const TSX = path.resolve('node_modules/tsx/dist/cli.mjs');

/** entry → gate → send → wait 4 s → send → condition → exit (two mails per customer). */
function sendAndWaitGraph(): JourneyGraph {
  const at = { x: 0, y: 0 };
  return {
    nodes: [
      {
        id: 'entry',
        type: 'entry',
        position: at,
        config: {
          mode: 'segment',
          segment: {
            match: 'all',
            conditions: [{ kind: 'consent', purpose: 'newsletter', state: 'granted' }],
          },
          reentry: { policy: 'never' },
          goals: [],
        },
      },
      { id: 'gate', type: 'consent-gate', position: at, config: { purpose: 'newsletter', timeoutHours: 0 } },
      {
        id: 'hello',
        type: 'send-message',
        position: at,
        config: { purpose: 'newsletter', channel: 'email', subject: 'Hello {{firstName}}', body: 'Hi' },
      },
      { id: 'pause', type: 'wait', position: at, config: { mode: 'duration', minutes: 4 / 60 } },
      {
        id: 'again',
        type: 'send-message',
        position: at,
        config: { purpose: 'newsletter', channel: 'email', subject: 'Again', body: 'Hi again' },
      },
      {
        id: 'gold',
        type: 'condition',
        position: at,
        config: {
          rule: { match: 'all', conditions: [{ kind: 'attribute', key: 'tier', op: 'eq', value: 'gold' }] },
        },
      },
      { id: 'done', type: 'exit', position: at, config: { reason: 'done' } },
    ],
    edges: [
      { id: 'a', source: 'entry', sourceHandle: 'next', target: 'gate' },
      { id: 'b', source: 'gate', sourceHandle: 'granted', target: 'hello' },
      { id: 'c', source: 'hello', sourceHandle: 'sent', target: 'pause' },
      { id: 'd', source: 'pause', sourceHandle: 'next', target: 'again' },
      { id: 'e', source: 'again', sourceHandle: 'sent', target: 'gold' },
      { id: 'f', source: 'gold', sourceHandle: 'yes', target: 'done' },
      { id: 'g', source: 'gold', sourceHandle: 'no', target: 'done' },
    ],
  };
}

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [TSX, 'scripts/worker.ts'], {
    env: {
      ...process.env,
      TARMO_WORKER_POLL_MS: '50',
      TARMO_WORKER_LEASE_MS: '1500',
      // Small batches keep many commits in flight, so a kill lands in the middle of work.
      TARMO_WORKER_BATCH_SIZE: '25',
      TARMO_WORKER_ID: '',
      SMTP_URL: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    // tsx's CLI runs the script in a child process: a group of its own lets a kill reach both.
    detached: true,
  });
  child.stderr?.on('data', (chunk: Buffer) =>
    process.stderr.write(`[worker ${child.pid}] ${chunk.toString()}`),
  );
  return child;
}

/** Signals the whole process group (tsx and the worker it runs). */
function signal(child: ChildProcess, name: NodeJS.Signals) {
  if (child.pid) process.kill(-child.pid, name);
}

/** Resolves once no process of the child's group is left. */
async function groupGone(child: ChildProcess) {
  await stopped(child);
  for (;;) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function count(sql: string, ...params: unknown[]): Promise<number> {
  return ((await sqlGet(database.handle().db, sql, [...params])) as { n: number }).n;
}

async function stepEventCount(journeyId: number): Promise<number> {
  return await count('SELECT count(*) AS n FROM step_events WHERE journey_id = ?', journeyId);
}

async function runningCount(journeyId: number): Promise<number> {
  return await count(
    `SELECT count(*) AS n FROM enrollments WHERE journey_id = ? AND state IN ('active', 'waiting')`,
    journeyId,
  );
}

async function waitUntilDone(journeyId: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const queuedMail = await count(`SELECT count(*) AS n FROM outbox WHERE status IN ('queued', 'sending')`);
    if ((await runningCount(journeyId)) === 0 && queuedMail === 0) return;
    await sleep(200);
  }
  throw new Error(`journey ${journeyId} did not finish: ${await runningCount(journeyId)} still running`);
}

async function expectExactlyOnce(journeyId: number) {
  const db = database.handle().db;
  const states = await sqlAll(
    db,
    'SELECT state, count(*) AS n FROM enrollments WHERE journey_id = ? GROUP BY state',
    [journeyId],
  );
  expect(states).toEqual([{ state: 'completed', n: CUSTOMERS }]);

  // Step events agree with positions: seq 1..n without gaps or doubles, the last one is where the enrollment stands.
  const mismatched = await count(
    `SELECT count(*) AS n FROM enrollments e WHERE e.journey_id = ? AND (
       (SELECT count(*) FROM step_events s WHERE s.enrollment_id = e.id) != e.seq
       OR (SELECT count(DISTINCT seq) FROM step_events s WHERE s.enrollment_id = e.id) != e.seq
       OR (SELECT max(seq) FROM step_events s WHERE s.enrollment_id = e.id) != e.seq
       OR (SELECT node_id || ':' || outcome FROM step_events s WHERE s.enrollment_id = e.id AND s.seq = e.seq) != e.node_id || ':completed')`,
    journeyId,
  );
  expect(mismatched).toBe(0);
  // Terminal exactly once.
  const terminalEvents = await count(
    `SELECT count(*) AS n FROM step_events WHERE journey_id = ? AND outcome IN ('completed', 'exited', 'cancelled')`,
    journeyId,
  );
  expect(terminalEvents).toBe(CUSTOMERS);
  // 7 steps, each passed once: entry, gate, hello, pause (wait + next), again, gold, done.
  expect(await count('SELECT count(*) AS n FROM step_events WHERE journey_id = ?', journeyId)).toBe(
    CUSTOMERS * 8,
  );

  // No outbox message duplicated: exactly two mails per enrollment, one per send step, all delivered once.
  const perEnrollment = (await sqlAll(
    db,
    `SELECT count(*) AS mails, count(DISTINCT json_extract(payload, '$.nodeId')) AS nodes FROM outbox o
     JOIN enrollments e ON e.id = o.enrollment_id WHERE e.journey_id = ? GROUP BY o.enrollment_id`,
    [journeyId],
  )) as { mails: number; nodes: number }[];
  expect(perEnrollment).toHaveLength(CUSTOMERS);
  expect(perEnrollment.every((row) => row.mails === 2 && row.nodes === 2)).toBe(true);
  expect(
    await count(
      `SELECT count(*) AS n FROM outbox o JOIN enrollments e ON e.id = o.enrollment_id WHERE e.journey_id = ? AND o.status != 'sent'`,
      journeyId,
    ),
  ).toBe(0);

  // Aggregates agree too.
  expect(
    await count(
      `SELECT count AS n FROM journey_node_stats WHERE journey_id = ? AND node_id = 'done' AND handle = 'completed'`,
      journeyId,
    ),
  ).toBe(CUSTOMERS);
  expect(
    await count(
      `SELECT count AS n FROM journey_node_stats WHERE journey_id = ? AND node_id = 'hello' AND handle = 'sent'`,
      journeyId,
    ),
  ).toBe(CUSTOMERS);
}

async function publish(): Promise<number> {
  const { journeyId, versionId } = await writeTransaction(
    async (db) => await publishFixtureJourneySync(db, 'crash test', sendAndWaitGraph()),
  );
  const result = await onJourneyPublished(journeyId, versionId, { moveRunning: false });
  expect(result.enrolled).toBe(CUSTOMERS);
  return journeyId;
}

beforeAll(async () => {
  const purposes = await seedDemoPurposes();
  const newsletter = await purposes.find((purpose) => purpose.key === 'newsletter');
  await writeTransaction(
    async (db) => await insertFixtureCustomersSync(db, CUSTOMERS, { grantPurposeIds: [newsletter!.id] }),
  );
});

describe('executor under crashes', () => {
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
      if (
        (await count(
          'SELECT count(*) AS n FROM enrollments WHERE journey_id = ? AND lease_owner IS NOT NULL',
          journeyId,
        )) > 0
      )
        killedHoldingLeases++;
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
