import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { dialectOf, sqlAll, sqlGet, writeTransaction, type Db } from '@/db/client';
import { onJourneyPublished } from '@/lib/executor/rollout';
import { insertFixtureCustomers, publishFixtureJourney, seedDemoPurposes } from '@/tests/fixtures/executor';
import type { JourneyGraph } from '@/lib/journey';

/**
 * The executor crash test's parts, shared by the SQLite run (tests/executor-crash.test.ts) and the
 * PostgreSQL run (tests/pg/executor-crash-pg.test.ts): real `scripts/worker.ts` processes on the
 * database of DATABASE_URL, SIGKILLed at random moments, and the exactly-once checks.
 */

/** entry → gate → send → wait 4 s → send → condition → exit (two mails per customer). */
export function sendAndWaitGraph(): JourneyGraph {
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

/**
 * A real worker process on DATABASE_URL of this process's environment. `node --import tsx` (not
 * the tsx CLI, which runs the script in a child and SIGKILLs it with exit code 143 when it does
 * not acknowledge a relayed SIGTERM within 60 ms, as a busy worker may not): signals reach the
 * worker itself.
 */
export function startWorker(workerId = '', env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    env: {
      ...process.env,
      TARMO_WORKER_POLL_MS: '50',
      TARMO_WORKER_LEASE_MS: '1500',
      // Deliveries go to the local sink in milliseconds; a short mail lease lets a mail leased by a
      // killed worker go out again within the test's budget.
      TARMO_OUTBOX_LEASE_MS: '5000',
      // Small batches keep many commits in flight, so a kill lands in the middle of work.
      TARMO_WORKER_BATCH_SIZE: '25',
      TARMO_WORKER_ID: workerId,
      SMTP_URL: '',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    // A group of its own, so the test's signals reach nothing else.
    detached: true,
  });
  child.stderr?.on('data', (chunk: Buffer) =>
    process.stderr.write(`[worker ${child.pid}] ${chunk.toString()}`),
  );
  return child;
}

/** Signals the worker's process group. */
export function signal(child: ChildProcess, name: NodeJS.Signals) {
  if (child.pid) process.kill(-child.pid, name);
}

/** Resolves once no process of the child's group is left. */
export async function groupGone(child: ChildProcess) {
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Queries and checks on one database (`db()` is called inside tests, once it is ready). */
export function crashChecks(db: () => Db, customers: number) {
  async function count(sql: string, ...params: unknown[]): Promise<number> {
    return ((await sqlGet(db(), sql, [...params])) as { n: number }).n;
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

  /** Enrollments under lease (by this worker id only, when given). */
  async function leasedCount(journeyId: number, owner?: string): Promise<number> {
    return owner
      ? await count(
          'SELECT count(*) AS n FROM enrollments WHERE journey_id = ? AND lease_owner = ?',
          journeyId,
          owner,
        )
      : await count(
          'SELECT count(*) AS n FROM enrollments WHERE journey_id = ? AND lease_owner IS NOT NULL',
          journeyId,
        );
  }

  async function waitUntilDone(journeyId: number, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const queuedMail = await count(
        `SELECT count(*) AS n FROM outbox WHERE status IN ('queued', 'sending')`,
      );
      if ((await runningCount(journeyId)) === 0 && queuedMail === 0) return;
      await sleep(200);
    }
    throw new Error(`journey ${journeyId} did not finish: ${await runningCount(journeyId)} still running`);
  }

  async function expectExactlyOnce(journeyId: number) {
    const states = await sqlAll(
      db(),
      'SELECT state, count(*) AS n FROM enrollments WHERE journey_id = ? GROUP BY state',
      [journeyId],
    );
    expect(states).toEqual([{ state: 'completed', n: customers }]);

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
    expect(terminalEvents).toBe(customers);
    // 7 steps, each passed once: entry, gate, hello, pause (wait + next), again, gold, done.
    expect(await count('SELECT count(*) AS n FROM step_events WHERE journey_id = ?', journeyId)).toBe(
      customers * 8,
    );

    // No outbox message duplicated: exactly two mails per enrollment, one per send step, all delivered once.
    const nodeOf =
      dialectOf(db()) === 'postgres' ? `o.payload->>'nodeId'` : `json_extract(o.payload, '$.nodeId')`;
    const perEnrollment = (await sqlAll(
      db(),
      `SELECT count(*) AS mails, count(DISTINCT ${nodeOf}) AS nodes FROM outbox o
       JOIN enrollments e ON e.id = o.enrollment_id WHERE e.journey_id = ? GROUP BY o.enrollment_id`,
      [journeyId],
    )) as { mails: number; nodes: number }[];
    expect(perEnrollment).toHaveLength(customers);
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
    ).toBe(customers);
    expect(
      await count(
        `SELECT count AS n FROM journey_node_stats WHERE journey_id = ? AND node_id = 'hello' AND handle = 'sent'`,
        journeyId,
      ),
    ).toBe(customers);
  }

  /** Purposes and `customers` customers with newsletter consent granted. */
  async function seedCustomers() {
    const purposes = await seedDemoPurposes();
    const newsletter = purposes.find((purpose) => purpose.key === 'newsletter');
    await writeTransaction(
      async (tx) => await insertFixtureCustomers(tx, customers, { grantPurposeIds: [newsletter!.id] }),
      db(),
    );
  }

  /** Publishes the crash-test journey and enrolls every customer. */
  async function publish(): Promise<number> {
    const { journeyId, versionId } = await writeTransaction(
      async (tx) => await publishFixtureJourney(tx, 'crash test', sendAndWaitGraph()),
      db(),
    );
    const result = await onJourneyPublished(journeyId, versionId, { moveRunning: false });
    expect(result.enrolled).toBe(customers);
    return journeyId;
  }

  return {
    count,
    stepEventCount,
    runningCount,
    leasedCount,
    waitUntilDone,
    expectExactlyOnce,
    seedCustomers,
    publish,
  };
}
