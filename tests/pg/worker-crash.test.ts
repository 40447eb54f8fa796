import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { openPostgres } from '@/db/pg/client';
import { seedEnrollments } from './seed';
import { skipWithoutPostgres, useScratchPostgres } from './helpers';

const WORKER = path.resolve('tests/pg/claim-worker.ts');
const ENROLLMENTS = 600;
// Shorter than the longest pause between claim and commit (jitter), so some leases run out while
// their worker still lives and another worker takes over: the stale commit must be refused.
const LEASE_MS = 250;
const JITTER_MS = 300;

function startWorker(url: string, id: string): ChildProcess {
  // Small batches and jitter between claim and commit, so kills land mid-batch.
  // node --import tsx (not the tsx binary): SIGKILL must hit the process that holds the connections.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', WORKER, url, id, '20', String(LEASE_MS), String(JITTER_MS)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${id}] ${chunk.toString()}`));
  return child;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipWithoutPostgres('tests/pg/worker-crash.test.ts'))(
  'three worker processes on PostgreSQL with SIGKILLs',
  () => {
    const pg = useScratchPostgres();

    it('finish every enrollment exactly once, with no duplicate step events or messages', async () => {
      const { pool } = openPostgres(pg.url());
      const { ids } = await seedEnrollments(pool, ENROLLMENTS);
      type Slot = { child: ChildProcess; id: string };
      const slots: Slot[] = [];
      let generation = 0;
      const spawnSlot = (slot: number) => {
        const id = `w${slot}-${generation++}`;
        slots[slot] = { child: startWorker(pg.url(), id), id };
      };
      for (const slot of [0, 1, 2]) spawnSlot(slot);

      const killed: string[] = [];
      const deadline = Date.now() + 90_000;
      try {
        for (;;) {
          const open = await pool.query<{ n: string }>(
            `SELECT count(*) AS n FROM enrollments WHERE state <> 'completed'`,
          );
          if (Number(open.rows[0].n) === 0) break;
          if (Date.now() > deadline) throw new Error(`${open.rows[0].n} enrollments still open after 90 s`);
          // SIGKILL a random worker once it is doing work (it has committed at least once), so the
          // kill lands mid-claim, mid-commit or between the two, and start a fresh one in its slot.
          const working = await pool.query<{ worker: string }>(
            `SELECT DISTINCT context->>'worker' AS worker FROM step_events WHERE at > $1`,
            [Date.now() - 2_000],
          );
          const busy = new Set(working.rows.map((row) => row.worker));
          const slot = Math.floor(Math.random() * 3);
          if (killed.length < 8 && busy.has(slots[slot].id)) {
            slots[slot].child.kill('SIGKILL');
            killed.push(slots[slot].id);
            spawnSlot(slot);
          }
          await sleep(150 + Math.random() * 200);
        }
      } finally {
        await Promise.all(
          slots.map(
            ({ child }) =>
              new Promise<void>((resolve) => {
                if (child.exitCode !== null || child.signalCode !== null) return resolve();
                child.once('exit', () => resolve());
                child.kill('SIGKILL');
              }),
          ),
        );
      }
      expect(killed.length).toBeGreaterThan(2);

      const states = await pool.query<{ state: string; n: string }>(
        `SELECT state, count(*) AS n FROM enrollments WHERE id = ANY($1::int[]) GROUP BY state`,
        [ids],
      );
      expect(states.rows.map((row) => [row.state, Number(row.n)])).toEqual([['completed', ENROLLMENTS]]);

      // Each enrollment went entry → pause → send → end: exactly seq 1, 2, 3, and it stopped at seq 3.
      const steps = await pool.query<{ enrollment_id: number; seqs: number[]; final_seq: number }>(
        `SELECT e.id AS enrollment_id, e.seq AS final_seq, coalesce(array_agg(s.seq ORDER BY s.seq) FILTER (WHERE s.seq IS NOT NULL), '{}') AS seqs
       FROM enrollments e LEFT JOIN step_events s ON s.enrollment_id = e.id
       WHERE e.id = ANY($1::int[]) GROUP BY e.id`,
        [ids],
      );
      const wrong = steps.rows.filter((row) => row.final_seq !== 3 || row.seqs.join(',') !== '1,2,3');
      expect(wrong).toEqual([]);

      // The outbox key carries the committing worker's id: a send committed twice would be two rows.
      const outbox = await pool.query<{ enrollment_id: number; n: string }>(
        `SELECT enrollment_id, count(*) AS n FROM outbox WHERE enrollment_id = ANY($1::int[]) GROUP BY enrollment_id HAVING count(*) <> 1`,
        [ids],
      );
      expect(outbox.rows).toEqual([]);
      const messages = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM outbox WHERE enrollment_id = ANY($1::int[])`,
        [ids],
      );
      expect(Number(messages.rows[0].n)).toBe(ENROLLMENTS);

      // Workers started after the kills finished the work.
      const committers = await pool.query<{ worker: string }>(
        `SELECT DISTINCT context->>'worker' AS worker FROM step_events WHERE enrollment_id = ANY($1::int[])`,
        [ids],
      );
      const workersThatCommitted = committers.rows.map((row) => row.worker);
      expect(workersThatCommitted.some((worker) => !killed.includes(worker))).toBe(true);
    }, 120_000);
  },
);
