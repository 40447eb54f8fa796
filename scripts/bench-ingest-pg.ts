// `npm run bench:ingest -- --store postgres [--url postgres://…] [--import-rows 100000] [--events 100000] [--phases 3]`
// Ingest on PostgreSQL (URL: --url, TEST_POSTGRES_URL or a postgres:// DATABASE_URL; the benchmark
// creates and drops its own scratch database there), product and raw phases interleaved:
//   events: ingestEvents (what POST /api/v1/events runs, in process: no HTTP) in batches of 1,000
//           against live demo journeys, beside raw multi-row INSERTs of the same rows (500 per
//           statement, one transaction per 1,000: pg-copy-streams is not installed, so no COPY);
//   import: the CSV import pipeline (runImportJob: streaming parse, validation, tombstones,
//           set-based upsert) on a file per phase, beside raw multi-row INSERTs of the same rows
//           into customers; the peak RSS is sampled during the imports.
// The median ratio of each is printed with its spread. Last line: one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pgAdmin, postgresBenchUrl } from './lib/bench-pg';
import {
  BENCH_CSV_MAPPING,
  benchCsvRow as csvRow,
  formatSpread,
  loadAverage1,
  loadLine,
  median,
  writeBenchCsv,
} from './lib/bench';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    store: { type: 'string' },
    'import-rows': { type: 'string', default: '100000' },
    events: { type: 'string', default: '100000' },
    phases: { type: 'string', default: '3' },
  },
});
const baseUrl = postgresBenchUrl(values.url, 'bench:ingest');
const IMPORT_ROWS = Number(values['import-rows']);
const EVENTS = Number(values.events);
const PHASES = Math.max(1, Number(values.phases));
const EVENT_BATCH = 1000;
const RSS_LIMIT_MB = 300;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-bench-ingest-pg-'));
const scratch = new URL(baseUrl);
const scratchName = `tarmo_bench_ingest_${process.pid}`;
scratch.pathname = `/${scratchName}`;
const url = scratch.toString();
process.env.DATABASE_URL = url;
process.env.TARMO_DATA_DIR = dataDir;

const spread = (list: number[]) => formatSpread(list);

const admin = (sql: string) => pgAdmin(baseUrl, sql);

async function main() {
  await admin(`CREATE DATABASE "${scratchName}"`);
  const raw = new pg.Client({ connectionString: url });
  try {
    const { migrateDatabase } = await import('@/db/migrate');
    await migrateDatabase(url);
    const { insertCustomers, insertPurposes } = await import('@/db/store/workspace');
    const { createImportJob } = await import('@/db/store/imports');
    const { demoCustomers } = await import('@/lib/demo/customers');
    const { DEMO_PURPOSES } = await import('@/lib/demo/purposes');
    const { seedDemoJourneys } = await import('@/lib/demo/seed-journeys');
    const { ingestEvents } = await import('@/lib/customers/events');
    const { runImportJob } = await import('@/lib/import/run');
    const purposes = await insertPurposes(DEMO_PURPOSES);
    const customers = await insertCustomers(demoCustomers(1000, 7));
    // Live demo journeys, so each event is checked against real event triggers, goals and waits.
    await seedDemoJourneys({ purposes });
    await raw.connect();
    console.log(
      `bench:ingest --store postgres — ${EVENTS} events in batches of ${EVENT_BATCH}, ${IMPORT_ROWS} CSV rows, ${PHASES} product and ${PHASES} raw phases of each; raw = multi-row INSERT (no COPY library installed); ${os.cpus().length} CPUs shared with other work: figures move with the load`,
    );

    // ---- events ----------------------------------------------------------------------------
    const ids = customers.map((customer) => customer.id);
    const eventAt = (i: number) => ({
      customerId: ids[i % ids.length]!,
      name: i % 10 === 0 ? 'order.completed' : 'page.viewed',
      properties: { page: `/products/${i % 500}`, value: i % 97 },
      occurredAt: new Date(1_760_000_000_000 + i * 1000).toISOString(),
    });
    const perEventPhase = Math.floor(EVENTS / PHASES);
    await ingestEvents(Array.from({ length: EVENT_BATCH }, (_, j) => eventAt(j))); // warm-up
    const eventRates: number[] = [];
    const rawEventRates: number[] = [];
    for (let phase = 0; phase < PHASES; phase++) {
      const first = phase * perEventPhase;
      let started = performance.now();
      for (let start = first; start < first + perEventPhase; start += EVENT_BATCH) {
        const result = await ingestEvents(
          Array.from({ length: Math.min(EVENT_BATCH, first + perEventPhase - start) }, (_, j) =>
            eventAt(start + j),
          ),
        );
        if (!result.ok) throw new Error(`ingestEvents: ${result.error.message}`);
      }
      eventRates.push(perEventPhase / ((performance.now() - started) / 1000));
      started = performance.now();
      for (let start = first; start < first + perEventPhase; start += EVENT_BATCH) {
        await raw.query('BEGIN');
        const receivedAt = Date.now();
        for (let chunk = start; chunk < Math.min(start + EVENT_BATCH, first + perEventPhase); chunk += 500) {
          const rows = Array.from({ length: Math.min(500, first + perEventPhase - chunk) }, (_, j) =>
            eventAt(chunk + j),
          );
          await raw.query(
            `INSERT INTO events (customer_id, name, properties, occurred_at, created_at) VALUES ${rows
              .map((_, j) => `($${j * 5 + 1}, $${j * 5 + 2}, $${j * 5 + 3}, $${j * 5 + 4}, $${j * 5 + 5})`)
              .join(', ')}`,
            rows.flatMap((e) => [
              e.customerId,
              e.name,
              JSON.stringify(e.properties),
              Date.parse(e.occurredAt),
              receivedAt,
            ]),
          );
        }
        await raw.query('COMMIT');
      }
      rawEventRates.push(perEventPhase / ((performance.now() - started) / 1000));
      console.log(
        `events phase ${phase + 1}: ingestEvents ${Math.round(eventRates[phase]!)} /s, raw ${Math.round(rawEventRates[phase]!)} /s, ratio ${(eventRates[phase]! / rawEventRates[phase]!).toFixed(2)}`,
      );
    }
    const eventRatios = eventRates.map((rate, index) => rate / rawEventRates[index]!);

    // ---- CSV import ------------------------------------------------------------------------
    const mapping = BENCH_CSV_MAPPING;
    const perImportPhase = Math.floor(IMPORT_ROWS / PHASES);
    const importRates: number[] = [];
    const rawImportRates: number[] = [];
    let peakRss = process.memoryUsage().rss;
    for (let phase = 0; phase < PHASES; phase++) {
      const first = phase * perImportPhase;
      const csvPath = path.join(dataDir, `bench-import-${phase}.csv`);
      await writeBenchCsv(csvPath, first, perImportPhase);
      const job = await createImportJob({ fileName: path.basename(csvPath), createdBy: null });
      global.gc?.();
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
      let started = performance.now();
      const result = await runImportJob({
        jobId: job.id,
        mapping,
        dryRun: false,
        actorId: null,
        filePath: csvPath,
      });
      importRates.push(perImportPhase / ((performance.now() - started) / 1000));
      clearInterval(sampler);
      if (result.importedRows !== perImportPhase)
        throw new Error(
          `imported ${result.importedRows} of ${perImportPhase} rows: ${JSON.stringify(result.problems.slice(0, 3))}`,
        );
      started = performance.now();
      for (let start = first; start < first + perImportPhase; start += 1000) {
        await raw.query('BEGIN');
        const createdAt = Date.now();
        for (let chunk = start; chunk < Math.min(start + 1000, first + perImportPhase); chunk += 500) {
          const rows = Array.from({ length: Math.min(500, first + perImportPhase - chunk) }, (_, j) =>
            csvRow(chunk + j),
          );
          await raw.query(
            `INSERT INTO customers (external_id, email, name, locale, attributes, created_at) VALUES ${rows
              .map(
                (_, j) =>
                  `($${j * 6 + 1}, $${j * 6 + 2}, $${j * 6 + 3}, $${j * 6 + 4}, $${j * 6 + 5}, $${j * 6 + 6})`,
              )
              .join(', ')}`,
            rows.flatMap((row) => [
              `raw-${row.customerNo}`,
              `raw-${row.email}`,
              row.name,
              row.language,
              JSON.stringify({ city: row.city, segment: row.segment }),
              createdAt,
            ]),
          );
        }
        await raw.query('COMMIT');
      }
      rawImportRates.push(perImportPhase / ((performance.now() - started) / 1000));
      console.log(
        `import phase ${phase + 1}: ${perImportPhase} rows, import ${Math.round(importRates[phase]!)} rows/s, raw ${Math.round(rawImportRates[phase]!)} rows/s, ratio ${(importRates[phase]! / rawImportRates[phase]!).toFixed(2)}; peak RSS ${(peakRss / 1048576).toFixed(0)} MB`,
      );
    }
    const importRatios = importRates.map((rate, index) => rate / rawImportRates[index]!);
    const peakRssMb = peakRss / 1048576;
    console.log(
      `events: ${Math.round(median(eventRates))} /s vs raw ${Math.round(median(rawEventRates))} /s, ratio ${median(eventRatios).toFixed(2)} (spread ${spread(eventRatios)}; target >= 0.4)`,
    );
    console.log(
      `import: ${Math.round(median(importRates))} rows/s vs raw ${Math.round(median(rawImportRates))} rows/s, ratio ${median(importRatios).toFixed(2)} (spread ${spread(importRatios)}; targets >= 10000 rows/s and >= 0.25); peak RSS ${peakRssMb.toFixed(0)} MB (< ${RSS_LIMIT_MB}: ${peakRssMb < RSS_LIMIT_MB ? 'yes' : 'NO'}); ${loadLine()}`,
    );
    console.log(
      JSON.stringify({
        bench: 'ingest',
        store: 'postgres',
        phases: PHASES,
        events: EVENTS,
        events_per_s: Math.round(median(eventRates)),
        raw_events_per_s: Math.round(median(rawEventRates)),
        events_ratio: Number(median(eventRatios).toFixed(3)),
        events_ratio_min: Number(Math.min(...eventRatios).toFixed(3)),
        events_ratio_max: Number(Math.max(...eventRatios).toFixed(3)),
        import_rows: IMPORT_ROWS,
        import_rows_per_s: Math.round(median(importRates)),
        raw_import_rows_per_s: Math.round(median(rawImportRates)),
        import_ratio: Number(median(importRatios).toFixed(3)),
        import_ratio_min: Number(Math.min(...importRatios).toFixed(3)),
        import_ratio_max: Number(Math.max(...importRatios).toFixed(3)),
        peak_rss_mb: Math.round(peakRssMb),
        loadavg1: loadAverage1(),
      }),
    );
  } finally {
    await raw.end().catch(() => undefined);
    const { closeDatabase } = await import('@/db/client');
    await closeDatabase(url).catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error('bench:ingest --store postgres failed:', error);
    process.exit(1);
  });
