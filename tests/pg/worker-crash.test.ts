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
      const workers = new Map<string, ChildProcess>();
      let generation = 0;
      const spawnSlot = (slot: number) =>
        workers.set(`slot${slot}`, startWorker(pg.url(), `w${slot}-${generation++}`));
      for (const slot of [0, 1, 2]) spawnSlot(slot);

      let kills = 0;
      const deadline = Date.now() + 90_000;
      try {
        for (;;) {
          const open = await pool.query<{ n: string }>(
            `SELECT count(*) AS n FROM enrollments WHERE state <> 'completed'`,
          );
          if (Number(open.rows[0].n) === 0) break;
          if (Date.now() > deadline) throw new Error(`${open.rows[0].n} enrollments still open after 90 s`);
          // Kill a random worker (mid-claim, mid-commit or idle) and start a fresh one in its slot.
          if (kills < 10) {
            const slot = Math.floor(Math.random() * 3);
            workers.get(`slot${slot}`)?.kill('SIGKILL');
            kills++;
            spawnSlot(slot);
          }
          await sleep(200 + Math.random() * 300);
        }
      } finally {
        await Promise.all(
          [...workers.values()].map(
            (child) =>
              new Promise<void>((resolve) => {
                if (child.exitCode !== null || child.signalCode !== null) return resolve();
                child.once('exit', () => resolve());
                child.kill('SIGKILL');
              }),
          ),
        );
      }
      expect(kills).toBeGreaterThan(0);

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

      // Several worker generations really did the work.
      const committers = await pool.query<{ n: string }>(
        `SELECT count(DISTINCT context->>'worker') AS n FROM step_events WHERE enrollment_id = ANY($1::int[])`,
        [ids],
      );
      expect(Number(committers.rows[0].n)).toBeGreaterThan(3);
    }, 120_000);
  },
);
