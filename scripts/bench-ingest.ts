// `npm run bench:ingest`: (1) events per second through POST /api/v1/events on the production build
// (next start), batches of 1,000, beside raw SQLite inserts of the same rows into the same file;
// (2) CSV import rows per second for 100,000 rows through the import pipeline the web app runs
// (streaming csv-parse, validation, tombstone check, consent-aware upsert, batched transactions),
// beside raw inserts of the same rows, with the peak RSS sampled during the import (< 300 MB).
// Raw and product phases alternate (BENCH_PHASES of each, default 3; the events and rows are split
// between the product phases, each raw phase repeats its inserts for BENCH_RAW_SECONDS, default 5);
// the median ratios are printed with their spread.
// (3) CSV import rows per second of files whose every row grants a purpose with its source and
// evidence (a ledger event, evidence, a signed receipt and a consent state per row).
// BENCH_EVENTS (default 300000: product phases of several seconds, as the raw ones),
// BENCH_IMPORT_ROWS (100000), BENCH_CONSENT_ROWS (20000; 0 leaves the consent import out),
// BENCH_PORT (3690). Last line: JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import {
  benchCsvRow as csvRow,
  consentImportPhases,
  describeRatio,
  importBenchPhase,
  interleave,
  loadAverage1,
  loadLine,
  mb,
  median,
  repeatFor,
  round,
  waitForHealth,
} from './lib/bench';

// `--store postgres [--url …]`: the PostgreSQL benchmark (scripts/bench-ingest-pg.ts) with these flags.
{
  const args = process.argv.slice(2);
  const at = args.indexOf('--store');
  if (at >= 0 && args[at + 1] === 'postgres') {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, path.join(import.meta.dirname, 'bench-ingest-pg.ts'), ...args],
      { stdio: 'inherit' },
    );
    process.exit(child.status ?? 1);
  }
  if (at >= 0 && args[at + 1] !== 'sqlite') throw new Error('--store must be sqlite or postgres');
}

const eventCount = Number(process.env.BENCH_EVENTS || 300_000);
const importRows = Number(process.env.BENCH_IMPORT_ROWS || 100_000);
const consentRows = Number(process.env.BENCH_CONSENT_ROWS ?? 20_000);
const port = Number(process.env.BENCH_PORT || 3690);
const PHASES = Math.max(1, Number(process.env.BENCH_PHASES || 3));
const RAW_SECONDS = Number(process.env.BENCH_RAW_SECONDS || 5);
const BATCH = 1000;
const WARMUP_EVENTS = 10 * BATCH;
const RSS_LIMIT_MB = 300;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-bench-ingest-'));
process.env.DATABASE_URL = `file:${path.join(dataDir, 'tarmo.db')}`;
process.env.TARMO_DATA_DIR = dataDir;
process.env.APP_URL = `http://127.0.0.1:${port}`;
// The bench sends many batches through one key; the per-key limit is not what is measured here.
process.env.TARMO_API_RATE_LIMIT = '1000000';

async function main() {
  const { migrateSqlite } = await import('@/db/migrate');
  const { openSqlite } = await import('@/db/client');
  const { insertCustomers, insertPurposes } = await import('@/db/store/workspace');
  const { demoCustomers } = await import('@/lib/demo/customers');
  const { DEMO_PURPOSES } = await import('@/lib/demo/purposes');
  const { seedDemoJourneys } = await import('@/lib/demo/seed-journeys');
  const { createApiKey } = await import('@/lib/auth/api-keys');
  // @ts-expect-error plain ESM helper shared with npm start
  const { ensureBuild, distDir } = (await import('./lib/build.mjs')) as {
    ensureBuild: (o: { quiet: boolean }) => void;
    distDir: () => string;
  };

  migrateSqlite();
  const purposes = await insertPurposes(DEMO_PURPOSES);
  const customers = await insertCustomers(demoCustomers(1000, 7));
  // Live demo journeys, so each event is checked against real event triggers, goals and waits.
  await seedDemoJourneys({ purposes });
  const { key } = await createApiKey({ name: 'bench', scopes: ['write'] }, { type: 'system' });
  const sqlite = openSqlite().sqlite;

  ensureBuild({ quiet: false });
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PORT: String(port) };
  const next = spawn(
    process.execPath,
    ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'],
    { env, stdio: 'ignore' },
  );
  try {
    await waitForHealth(`http://127.0.0.1:${port}/api/health`);
    console.log(
      `bench:ingest — ${eventCount} events in batches of ${BATCH}, ${importRows} CSV rows; build ${distDir()}`,
    );

    // ---- events through the API -------------------------------------------------------------
    const ids = customers.map((c) => c.id);
    const eventAt = (i: number) => ({
      customerId: ids[i % ids.length]!,
      name: i % 10 === 0 ? 'order.completed' : 'page.viewed',
      properties: { page: `/products/${i % 500}`, value: i % 97 },
      occurredAt: new Date(1_760_000_000_000 + i * 1000).toISOString(),
    });
    const batchBody = (start: number) =>
      JSON.stringify(Array.from({ length: BATCH }, (_, j) => eventAt(start + j)));
    // Warm-up, not timed: opens the db and lets V8 optimise the route's code, as the raw inserts
    // are by the seeding (with one batch the first phase was always the slowest: 0.25 against 0.45).
    for (let start = 0; start < WARMUP_EVENTS; start += BATCH) await postEvents(port, key, batchBody(start));
    const perEventPhase = Math.max(BATCH, Math.floor(eventCount / BATCH / PHASES) * BATCH);

    // Raw baseline: the same rows, prepared INSERT, one transaction per 1,000, same file; each raw
    // phase repeats batches until RAW_SECONDS have passed.
    const insertEvent = sqlite.prepare(
      'INSERT INTO events (customer_id, name, properties, occurred_at, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const insertEventBatch = sqlite.transaction((start: number) => {
      const now = Date.now();
      for (let j = 0; j < BATCH; j++) {
        const e = eventAt(start + j);
        insertEvent.run(e.customerId, e.name, JSON.stringify(e.properties), Date.parse(e.occurredAt), now);
      }
    });
    let rawEventCursor = 0;
    const events = await interleave({
      phases: PHASES,
      raw: async () => {
        const run = await repeatFor(RAW_SECONDS, () => {
          insertEventBatch(rawEventCursor);
          rawEventCursor += BATCH;
          return BATCH;
        });
        return run.perSecond;
      },
      product: async (phase) => {
        const first = WARMUP_EVENTS + (phase - 1) * perEventPhase;
        const started = performance.now();
        for (let start = first; start < first + perEventPhase; start += BATCH) {
          const status = await postEvents(port, key, batchBody(start));
          if (status !== 202) throw new Error(`POST /api/v1/events answered ${status}`);
        }
        return perEventPhase / ((performance.now() - started) / 1000);
      },
      onPhase: (phase, api, raw) =>
        console.log(
          `events phase ${phase}: POST /api/v1/events ${Math.round(api)} events/s (${perEventPhase} events), raw SQLite inserts ${Math.round(raw)} /s, ratio ${(api / raw).toFixed(2)}`,
        ),
    });
    const storedEvents = (sqlite.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    console.log(
      `events: ${Math.round(median(events.product))} events/s via the API vs raw ${Math.round(median(events.raw))} /s, ${describeRatio(events)} (target >= 0.4); rows in events: ${storedEvents}`,
    );

    // ---- CSV import --------------------------------------------------------------------------
    const perImportPhase = Math.max(1, Math.floor(importRows / PHASES));
    const insertCustomer = sqlite.prepare(
      'INSERT INTO customers (external_id, email, name, locale, attributes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertCustomerBatch = sqlite.transaction((start: number, end: number) => {
      const now = Date.now();
      for (let i = start; i < end; i++) {
        const row = csvRow(i);
        insertCustomer.run(
          `raw-${row.customerNo}`,
          `raw-${row.email}`,
          row.name,
          row.language,
          JSON.stringify({ city: row.city, segment: row.segment }),
          now,
        );
      }
    });
    let rawCustomerCursor = 0;
    let peakRss = 0;
    const imports = await interleave({
      phases: PHASES,
      raw: async () => {
        const run = await repeatFor(RAW_SECONDS, () => {
          insertCustomerBatch(rawCustomerCursor, rawCustomerCursor + 500);
          rawCustomerCursor += 500;
          return 500;
        });
        return run.perSecond;
      },
      product: async (phase) => {
        const imported = await importBenchPhase(dataDir, phase, perImportPhase);
        peakRss = Math.max(peakRss, imported.peakBytes);
        return imported.rowsPerSecond;
      },
      onPhase: (phase, product, raw) =>
        console.log(
          `import phase ${phase}: ${perImportPhase} rows, import ${Math.round(product)} rows/s, raw ${Math.round(raw)} rows/s, ratio ${(product / raw).toFixed(2)}; peak RSS ${mb(peakRss).toFixed(0)} MB`,
        ),
    });
    const consentImport = await consentImportPhases(PHASES, Math.floor(consentRows / PHASES), (phase, rows) =>
      importBenchPhase(dataDir, phase, rows, { consent: true }),
    );
    const peakRssMb = mb(peakRss);
    console.log(
      `CSV import: ${Math.round(median(imports.product))} rows/s vs raw ${Math.round(median(imports.raw))} rows/s, ${describeRatio(imports)}; peak RSS ${peakRssMb.toFixed(0)} MB (< ${RSS_LIMIT_MB}: ${peakRssMb < RSS_LIMIT_MB ? 'yes' : 'NO'}); ${loadLine()}`,
    );
    console.log(
      JSON.stringify({
        bench: 'ingest',
        store: 'sqlite',
        phases: PHASES,
        raw_phase_s: RAW_SECONDS,
        events: perEventPhase * PHASES,
        batchSize: BATCH,
        apiEventsPerSecond: Math.round(median(events.product)),
        rawEventsPerSecond: Math.round(median(events.raw)),
        eventsRatio: round(events.ratio),
        eventsRatioMin: round(events.ratioMin),
        eventsRatioMax: round(events.ratioMax),
        importRows: perImportPhase * PHASES,
        importRowsPerSecond: Math.round(median(imports.product)),
        rawImportRowsPerSecond: Math.round(median(imports.raw)),
        importRatio: round(imports.ratio),
        importRatioMin: round(imports.ratioMin),
        importRatioMax: round(imports.ratioMax),
        peakRssMb: Math.round(peakRssMb),
        rssTargetMet: peakRssMb < RSS_LIMIT_MB,
        consentImportRows: consentImport ? consentImport.rows : 0,
        consentImportRowsPerSecond: consentImport ? Math.round(consentImport.rowsPerSecond) : null,
        loadavg1: loadAverage1(),
      }),
    );
  } finally {
    next.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postEvents(port: number, key: string, body: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

main().catch((error: unknown) => {
  console.error('bench:ingest failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
