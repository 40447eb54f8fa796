// Executor throughput on PostgreSQL:
//   tsx scripts/bench-executor-pg.ts [--url postgres://…] [--workers 1,2,4] [--enrollments 3000] [--batch 50]
// For each worker count: a fresh scratch database, N enrollments that each take three transitions
// (entry → wait → send with an outbox row → completed), W worker processes running the real claim
// (FOR UPDATE SKIP LOCKED) and commit (lease-guarded positions + step_events + outbox) loop of
// tests/pg/claim-worker.ts. Beside it, in the same run and database server, the raw ceiling: the
// same position UPDATE + step_events INSERT, batched the same way, from one connection with no
// claim, no lease and no step logic. Last line: one JSON object.
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { closePostgres, isPostgresUrl, openPostgres } from '@/db/pg/client';
import { migratePostgres } from '@/db/pg/migrate';
import { insertEnrollments } from '@/db/pg/enrollments';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    workers: { type: 'string', default: '1,2,4' },
    enrollments: { type: 'string', default: '3000' },
    batch: { type: 'string', default: '50' },
  },
});
const baseUrl =
  values.url ??
  process.env.TEST_POSTGRES_URL ??
  (isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined);
const workerCounts = values.workers.split(',').map(Number);
const N = Number(values.enrollments);
const BATCH = Number(values.batch);
const TRANSITIONS = N * 3;

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function scratchDatabase(): Promise<string> {
  const name = `tarmo_bench_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(baseUrl!);
  url.pathname = `/${name}`;
  await migratePostgres(url.toString());
  return url.toString();
}

async function dropDatabase(url: string): Promise<void> {
  await closePostgres(url);
  await admin(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
}

async function seed(url: string, runAt: number): Promise<number[]> {
  const { pool } = openPostgres(url);
  const journey = await pool.query<{ id: number }>(
    `INSERT INTO journeys (name, status, created_at) VALUES ('Bench', 'live', $1) RETURNING id`,
    [runAt],
  );
  const version = await pool.query<{ id: number }>(
    `INSERT INTO journey_versions (journey_id, is_draft, number, graph, created_at) VALUES ($1, false, 1, '{}'::jsonb, $2) RETURNING id`,
    [journey.rows[0].id, runAt],
  );
  const customers = await pool.query<{ id: number }>(
    `INSERT INTO customers (email, created_at) SELECT 'b' || g || '@example.test', $1 FROM generate_series(1, $2::int) g RETURNING id`,
    [runAt, N],
  );
  const ids = await insertEnrollments(
    pool,
    customers.rows.map((row) => ({
      journeyId: journey.rows[0].id,
      versionId: version.rows[0].id,
      customerId: row.id,
      nodeId: 'entry',
      context: {},
      testMode: false,
      now: runAt,
    })),
  );
  // Not due until runAt: workers start (and warm up) before the clock starts.
  await pool.query('UPDATE enrollments SET run_at = $1', [runAt]);
  return ids;
}

/** The same UPDATE + INSERT per transition, batched, from one connection: the database's own ceiling. */
async function rawCeiling(): Promise<number> {
  const url = await scratchDatabase();
  try {
    const ids = await seed(url, Date.now());
    const { pool } = openPostgres(url, { max: 1 });
    const client = await pool.connect();
    const started = performance.now();
    try {
      for (let seq = 1; seq <= 3; seq++) {
        for (let i = 0; i < ids.length; i += BATCH) {
          const batch = ids.slice(i, i + BATCH);
          const now = Date.now();
          await client.query('BEGIN');
          await client.query(
            `UPDATE enrollments e SET node_id = v.node_id, state = v.state, run_at = $2, seq = v.seq, context = '{}'::jsonb,
               updated_at = $2, lease_owner = NULL, lease_expires_at = NULL
             FROM unnest($1::int[], $3::text[], $4::text[], $5::int[]) AS v(id, node_id, state, seq) WHERE e.id = v.id`,
            [
              batch,
              now,
              batch.map(() => `n${seq}`),
              batch.map(() => (seq === 3 ? 'completed' : 'active')),
              batch.map(() => seq),
            ],
          );
          await client.query(
            `INSERT INTO step_events (enrollment_id, seq, journey_id, version_id, customer_id, node_id, step_type, outcome, reason, at)
             SELECT id, $2, 1, 1, id, 'n', 'n', 'next', 'raw', $3 FROM unnest($1::int[]) AS id
             ON CONFLICT (enrollment_id, seq) DO NOTHING`,
            [batch, seq, now],
          );
          await client.query('COMMIT');
        }
      }
    } finally {
      client.release();
    }
    return TRANSITIONS / ((performance.now() - started) / 1000);
  } finally {
    await dropDatabase(url);
  }
}

async function executorRun(workers: number): Promise<number> {
  const url = await scratchDatabase();
  const children: ChildProcess[] = [];
  try {
    const startAt = Date.now() + 2_500;
    await seed(url, startAt);
    for (let w = 0; w < workers; w++) {
      children.push(
        spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            path.resolve('tests/pg/claim-worker.ts'),
            url,
            `bench-${w}`,
            String(BATCH),
            '30000',
            '0',
            '3000',
          ],
          { stdio: ['ignore', 'ignore', 'inherit'] },
        ),
      );
    }
    const { pool } = openPostgres(url, { max: 1 });
    while (Date.now() < startAt) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    for (;;) {
      const done = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM enrollments WHERE state = 'completed'`,
      );
      if (Number(done.rows[0].n) === N) break;
      if (performance.now() - started > 300_000) throw new Error('executor run took over 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seconds = (performance.now() - started) / 1000;
    const events = await pool.query<{ n: string }>('SELECT count(*) AS n FROM step_events');
    const messages = await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox');
    if (Number(events.rows[0].n) !== TRANSITIONS || Number(messages.rows[0].n) !== N) {
      throw new Error(
        `bench run is inconsistent: ${events.rows[0].n} step events, ${messages.rows[0].n} messages`,
      );
    }
    return TRANSITIONS / seconds;
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    await dropDatabase(url);
  }
}

async function main(): Promise<void> {
  if (!baseUrl || !isPostgresUrl(baseUrl)) {
    console.error('usage: bench-executor-pg --url postgres://user@host:5432/db (or TEST_POSTGRES_URL)');
    process.exit(2);
  }
  console.log(`PostgreSQL executor benchmark: ${N} enrollments × 3 transitions, batch ${BATCH}`);
  const raw = await rawCeiling();
  console.log(`raw ceiling (update + insert, 1 connection): ${raw.toFixed(0)} transitions/s`);
  const perWorkers: Record<string, number> = {};
  for (const workers of workerCounts) {
    const rate = await executorRun(workers);
    perWorkers[String(workers)] = Math.round(rate);
    console.log(
      `executor, ${workers} worker process(es): ${rate.toFixed(0)} transitions/s (ratio to raw ${(rate / raw).toFixed(2)})`,
    );
  }
  const first = perWorkers[String(workerCounts[0])];
  console.log(
    JSON.stringify({
      store: 'postgres',
      enrollments: N,
      transitions: TRANSITIONS,
      batch: BATCH,
      rawTransitionsPerSecond: Math.round(raw),
      transitionsPerSecond: perWorkers,
      ratioAtFirstWorkerCount: Number((first / raw).toFixed(3)),
      cpus: (await import('node:os')).cpus().length,
    }),
  );
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
