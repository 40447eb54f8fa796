// `npm run bench:executor -- --store postgres [--url postgres://…] [--workers 1,2,4] [--customers 20000] [--batch 1000] [--phases 3] [--raw-seconds 5]`
// (or `tsx scripts/bench-executor-pg.ts …`): the REAL executor (lib/executor/engine.ts
// `runExecutorBatch`, the loop `npm run worker` runs) on PostgreSQL, against the least SQL a
// transition needs, measured in the same run on the same server. URL: --url, TEST_POSTGRES_URL, or
// a postgres:// DATABASE_URL; the benchmark creates and drops its own scratch databases there.
//
// Seeding, once, into a template database, with the store's own functions (as the SQLite bench):
// customers with newsletter consent, the published sample journey (consent gate → send-message →
// wait 0 → condition → exit), everyone enrolled by onJourneyPublished. Each measurement then runs
// on a fresh copy (CREATE DATABASE … TEMPLATE), so every worker count starts from the same rows.
//   raw:      one connection, batches of --batch: UPDATE the enrollment rows + INSERT one step_event
//             each (unnest arrays, two statements per batch), as many transitions as the executor
//             makes and more until --raw-seconds have passed.
// Phases alternate (--phases of each): a raw phase, then one executor run per worker count; each
// worker count's ratio is the median of its phase ratios, printed with the spread, and each
// worker's peak RSS is printed.
//   executor: W worker processes, each looping runExecutorBatch until nothing is due; they start
//             (and warm up) first and begin on a common clock; the time runs until the last commit.
// Last line: one JSON object.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pgAdmin, postgresBenchUrl } from './lib/bench-pg';
import { formatSpread, loadAverage1, loadLine, median, round } from './lib/bench';
import { benchWorker, T0, type ChildReport } from './lib/executor-pg-worker';

const CHILD = '--bench-child';
/** The journey's transitions per customer: entry, gate, send, wait, condition, exit. */
const STEPS_PER_CUSTOMER = 6;

if (process.argv[2] === CHILD) {
  void benchWorker(process.argv.slice(3));
} else {
  void main();
}

// ---------------------------------------------------------------- parent

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      workers: { type: 'string', default: '1,2,4' },
      customers: { type: 'string', default: '20000' },
      enrollments: { type: 'string' },
      batch: { type: 'string', default: '1000' },
      phases: { type: 'string', default: '3' },
      'raw-seconds': { type: 'string', default: '5' },
    },
  });
  const baseUrl = postgresBenchUrl(values.url, 'bench:executor');
  const customers = Number(values.enrollments ?? values.customers);
  const batch = Number(values.batch);
  const workerCounts = values.workers.split(',').map(Number);
  const phases = Number(values.phases);
  const rawSeconds = Number(values['raw-seconds']);
  if (!Number.isInteger(phases) || phases < 1) throw new Error('--phases must be a positive integer');
  if (!(rawSeconds > 0)) throw new Error('--raw-seconds must be a positive number');
  if (!Number.isInteger(customers) || customers < 1)
    throw new Error('--customers must be a positive integer');
  if (!Number.isInteger(batch) || batch < 1) throw new Error('--batch must be a positive integer');
  if (workerCounts.some((w) => !Number.isInteger(w) || w < 1)) throw new Error('--workers: e.g. 1,2,4');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-bench-pg-'));
  const prefix = `tarmo_bench_${process.pid}`;
  const template = withDatabase(baseUrl, `${prefix}_tpl`);
  const created: string[] = [];
  try {
    created.push(template);
    await pgAdmin(baseUrl, `CREATE DATABASE "${dbName(template)}"`);
    const seeded = await seedTemplate(template, dir, customers);
    const transitions = customers * STEPS_PER_CUSTOMER;
    console.log(
      `PostgreSQL executor benchmark: ${customers} customers × ${STEPS_PER_CUSTOMER} transitions, batch ${batch}, ${os.cpus().length} CPUs`,
    );
    console.log(`seeded template in ${seeded.toFixed(1)} s`);

    const copy = async (name: string) => {
      const url = withDatabase(baseUrl, `${prefix}_${name}`);
      created.push(url);
      await pgAdmin(baseUrl, `CREATE DATABASE "${dbName(url)}" TEMPLATE "${dbName(template)}"`);
      return url;
    };
    const drop = async (url: string) => {
      await pgAdmin(baseUrl, `DROP DATABASE IF EXISTS "${dbName(url)}" WITH (FORCE)`);
      created.splice(created.indexOf(url), 1);
    };

    // Phases alternate: a raw phase, then one executor run per worker count, each on a fresh copy.
    const rawRates: number[] = [];
    const perWorkers = new Map<number, { tps: number[]; ratios: number[]; rssMb: number[] }>(
      workerCounts.map((workers) => [workers, { tps: [], ratios: [], rssMb: [] }]),
    );
    for (let phase = 1; phase <= phases; phase++) {
      const rawUrl = await copy(`raw${phase}`);
      const raw = await rawCeiling(rawUrl, batch, STEPS_PER_CUSTOMER, rawSeconds);
      await drop(rawUrl);
      rawRates.push(raw.tps);
      console.log(
        `  raw phase ${phase}: ${raw.transitions} transitions (update + insert, batched, 1 connection) in ${raw.seconds.toFixed(2)} s = ${Math.round(raw.tps)} /s`,
      );
      for (const workers of workerCounts) {
        const url = await copy(`w${workers}_${phase}`);
        const run = await executorRun(url, dir, workers, batch, customers);
        await drop(url);
        const figures = perWorkers.get(workers)!;
        figures.tps.push(run.tps);
        figures.ratios.push(run.tps / raw.tps);
        figures.rssMb.push(...run.rssMb);
        console.log(
          `  executor phase ${phase}, ${workers} worker(s): ${run.transitions} transitions in ${run.seconds.toFixed(2)} s = ${Math.round(run.tps)} /s (ratio to this raw phase ${(run.tps / raw.tps).toFixed(2)}; ${run.completed} completed, ${run.mails} mails queued; peak RSS per worker ${run.rssMb.map((value) => value.toFixed(0)).join(', ')} MB)`,
        );
      }
    }
    console.log(`raw:      median ${Math.round(median(rawRates))} /s over ${phases} phases`);
    for (const [workers, figures] of perWorkers)
      console.log(
        `executor: ${workers} worker(s): median ${Math.round(median(figures.tps))} /s, ratio ${median(figures.ratios).toFixed(2)} (spread ${formatSpread(figures.ratios)}); peak RSS per worker up to ${Math.max(...figures.rssMb).toFixed(0)} MB`,
      );
    const firstFigures = perWorkers.get(workerCounts[0]!)!;
    const ratio = median(firstFigures.ratios);
    const one = perWorkers.get(1);
    const two = perWorkers.get(2);
    const rises = one && two ? median(two.tps) > median(one.tps) : null;
    console.log(
      `ratio:    ${ratio.toFixed(2)} at ${workerCounts[0]} worker(s) (median of ${phases}, spread ${formatSpread(firstFigures.ratios)}; target >= 0.4)` +
        (rises === null || !one || !two
          ? ''
          : `; 1 → 2 workers ${rises ? 'rises' : 'does NOT rise'} (${Math.round(median(one.tps))} → ${Math.round(median(two.tps))} /s)`) +
        `; ${loadLine()}`,
    );
    console.log(
      JSON.stringify({
        store: 'postgres',
        customers,
        transitions,
        batch,
        phases,
        raw_phase_s: rawSeconds,
        raw_tps: Math.round(median(rawRates)),
        executor_tps: Object.fromEntries(
          [...perWorkers].map(([workers, figures]) => [String(workers), Math.round(median(figures.tps))]),
        ),
        ratio: round(ratio),
        ratio_min: round(Math.min(...firstFigures.ratios)),
        ratio_max: round(Math.max(...firstFigures.ratios)),
        ratios_by_workers: Object.fromEntries(
          [...perWorkers].map(([workers, figures]) => [String(workers), round(median(figures.ratios))]),
        ),
        peak_rss_mb_per_worker: Object.fromEntries(
          [...perWorkers].map(([workers, figures]) => [
            String(workers),
            Math.round(Math.max(...figures.rssMb)),
          ]),
        ),
        rises_1_to_2: rises,
        cpus: os.cpus().length,
        loadavg1: loadAverage1(),
      }),
    );
  } finally {
    for (const url of created.reverse())
      await pgAdmin(baseUrl, `DROP DATABASE IF EXISTS "${dbName(url)}" WITH (FORCE)`).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function dbName(url: string): string {
  return new URL(url).pathname.slice(1);
}

/** Customers, consent, the journey and its enrollments, with the store's functions (as the SQLite bench). */
async function seedTemplate(url: string, dir: string, customers: number): Promise<number> {
  const started = performance.now();
  process.env.DATABASE_URL = url;
  process.env.TARMO_DATA_DIR = dir;
  delete process.env.SMTP_URL;
  const { resetAppEnv } = await import('@/lib/config/env');
  resetAppEnv();
  const { closeDatabase, openDatabase, sqlRun, writeTransaction } = await import('@/db/client');
  const { migrateDatabase } = await import('@/db/migrate');
  const { onJourneyPublished } = await import('@/lib/executor/rollout');
  const { insertFixtureCustomers, publishFixtureJourney, seedDemoPurposes } =
    await import('@/tests/fixtures/executor');
  const { sampleSimpleJourney } = await import('@/lib/journey/samples');

  await migrateDatabase(url);
  const handle = openDatabase(url);
  const purposes = await seedDemoPurposes();
  const newsletter = purposes.find((purpose) => purpose.key === 'newsletter');
  if (!newsletter) throw new Error('newsletter purpose missing');
  for (let seeded = 0; seeded < customers; seeded += 5_000) {
    const count = Math.min(5_000, customers - seeded);
    await writeTransaction(
      async (db) =>
        await insertFixtureCustomers(db, count, { grantPurposeIds: [newsletter.id], startIndex: seeded }),
      handle,
    );
  }
  const { journeyId, versionId } = await writeTransaction(
    async (db) => await publishFixtureJourney(db, 'bench', sampleSimpleJourney('newsletter')),
    handle,
  );
  const published = await onJourneyPublished(journeyId, versionId, { moveRunning: false });
  if (published.enrolled !== customers)
    throw new Error(`${published.enrolled} of ${customers} customers enrolled`);
  // Due at T0 on the workers' clock, which starts when the measurement does.
  await sqlRun(handle.db, 'UPDATE enrollments SET run_at = ?', [T0]);
  await sqlRun(handle.db, 'VACUUM FULL ANALYZE');
  await closeDatabase(url);
  return (performance.now() - started) / 1000;
}

/**
 * The least SQL a transition needs: move each enrollment row on and record its step event, a batch
 * per transaction, two statements per batch, one connection; `rounds` transitions per enrollment
 * at least, and more rounds until `minSeconds` have passed (a raw phase timed for under a second
 * moves with every busy moment of the machine).
 */
async function rawCeiling(url: string, batch: number, rounds: number, minSeconds: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ids = (await client.query<{ id: number }>('SELECT id FROM enrollments ORDER BY id')).rows.map(
      (row) => row.id,
    );
    const info = (
      await client.query<{ journey_id: number; version_id: number }>(
        'SELECT journey_id, version_id FROM enrollments LIMIT 1',
      )
    ).rows[0];
    const started = performance.now();
    let transitions = 0;
    for (let seq = 1; seq <= rounds || performance.now() - started < minSeconds * 1000; seq++) {
      for (let i = 0; i < ids.length; i += batch) {
        const chunk = ids.slice(i, i + batch);
        const now = Date.now();
        await client.query('BEGIN');
        await client.query(
          `UPDATE enrollments e SET node_id = $3, state = $4, seq = $5, run_at = $2, updated_at = $2
           FROM unnest($1::int[]) AS v(id) WHERE e.id = v.id`,
          [chunk, now, `n${seq}`, seq >= rounds ? 'completed' : 'active', seq],
        );
        await client.query(
          `INSERT INTO step_events (enrollment_id, seq, journey_id, version_id, customer_id, node_id, step_type, outcome, reason, at)
           SELECT e.id, $2, $4, $5, e.customer_id, $6, 'raw', 'next', 'raw', $3
           FROM enrollments e JOIN unnest($1::int[]) AS v(id) ON e.id = v.id
           ON CONFLICT (enrollment_id, seq) DO NOTHING`,
          [chunk, seq, now, info.journey_id, info.version_id, `n${seq}`],
        );
        await client.query('COMMIT');
        transitions += chunk.length;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    return { transitions, seconds, tps: transitions / seconds };
  } finally {
    await client.end();
  }
}

async function executorRun(url: string, dir: string, workers: number, batch: number, customers: number) {
  const startAt = Date.now() + 4_000;
  const children: ChildProcess[] = [];
  const reports: Promise<ChildReport>[] = [];
  try {
    for (let w = 0; w < workers; w++) {
      const child = spawn(
        process.execPath,
        [...process.execArgv, import.meta.filename, CHILD, url, `bench-${w}`, String(startAt), String(batch)],
        {
          env: { ...process.env, DATABASE_URL: url, TARMO_DATA_DIR: dir, SMTP_URL: '' },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      children.push(child);
      reports.push(
        new Promise((resolve, reject) => {
          let out = '';
          child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.once('exit', (code) => {
            const last = out.trim().split('\n').pop() ?? '';
            if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as ChildReport);
            else reject(new Error(`bench worker exited with ${code}: ${out.slice(-500)}`));
          });
        }),
      );
    }
    const done = await Promise.all(reports);
    const seconds = (Math.max(...done.map((report) => report.lastCommitAt)) - startAt) / 1000;
    const transitions = done.reduce((sum, report) => sum + report.transitions, 0);
    if (done.some((report) => report.failures > 0)) throw new Error('enrollments failed');
    for (const report of done) if (report.profile) console.log(`  profile ${JSON.stringify(report.profile)}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const counts = (
      await client.query<{ completed: string; mails: string; events: string }>(
        `SELECT (SELECT count(*) FROM enrollments WHERE state = 'completed') AS completed,
                (SELECT count(*) FROM outbox WHERE kind = 'email') AS mails,
                (SELECT count(*) FROM step_events) AS events`,
      )
    ).rows[0];
    await client.end();
    const completed = Number(counts.completed);
    const mails = Number(counts.mails);
    if (completed !== customers || mails !== customers || Number(counts.events) !== transitions)
      throw new Error(
        `inconsistent run: ${completed} completed, ${mails} mails, ${counts.events} step events, ${transitions} transitions`,
      );
    return {
      transitions,
      seconds,
      tps: transitions / seconds,
      completed,
      mails,
      rssMb: done.map((report) => report.peakRssMb),
    };
  } finally {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
