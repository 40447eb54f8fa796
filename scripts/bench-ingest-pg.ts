// `npm run bench:ingest -- --store postgres [--url postgres://…] [--import-rows 100000] [--events 100000] [--consent-rows 20000] [--phases 3]`
// Ingest on PostgreSQL (URL: --url, TEST_POSTGRES_URL or a postgres:// DATABASE_URL; the benchmark
// creates and drops its own scratch database there), product and raw phases interleaved:
//   events: ingestEvents (what POST /api/v1/events runs, in process: no HTTP) in batches of 1,000
//           against live demo journeys, beside a raw `COPY events … FROM STDIN` of the same rows,
//           one COPY (one transaction) per 1,000 as the API takes them;
//   import: the CSV import pipeline (runImportJob: streaming parse, validation, tombstones,
//           set-based upsert) on a file per phase, beside one raw `COPY customers … FROM STDIN` of
//           the same rows into the columns the import writes; the peak RSS is sampled during the
//           imports (`--import-rows 1000000 --phases 2` checks the 300 MB bound for a million rows);
//   consent import: the same pipeline on files whose every row grants a purpose with its source
//           and evidence (a ledger event, evidence, a signed receipt and a consent state per row),
//           rows per second only (`--consent-rows 0` leaves it out).
// The median ratio of each is printed with its spread. Last line: one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { copyFromLines, pgAdmin, postgresBenchUrl } from './lib/bench-pg';
import { copyField as copyText } from '@/db/pg/copy-in';
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
  round,
} from './lib/bench';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    store: { type: 'string' },
    'import-rows': { type: 'string', default: '100000' },
    events: { type: 'string', default: '100000' },
    'consent-rows': { type: 'string', default: '20000' },
    phases: { type: 'string', default: '3' },
  },
});
const baseUrl = postgresBenchUrl(values.url, 'bench:ingest');
const IMPORT_ROWS = Number(values['import-rows']);
const EVENTS = Number(values.events);
const CONSENT_ROWS = Number(values['consent-rows']);
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

const admin = (sql: string) => pgAdmin(baseUrl, sql);

async function main() {
  await admin(`CREATE DATABASE "${scratchName}"`);
  const raw = new pg.Client({ connectionString: url });
  try {
    const { migrateDatabase } = await import('@/db/migrate');
    await migrateDatabase(url);
    const { insertCustomers, insertPurposes } = await import('@/db/store/workspace');
    const { demoCustomers } = await import('@/lib/demo/customers');
    const { DEMO_PURPOSES } = await import('@/lib/demo/purposes');
    const { seedDemoJourneys } = await import('@/lib/demo/seed-journeys');
    const { ingestEvents } = await import('@/lib/customers/events');
    const purposes = await insertPurposes(DEMO_PURPOSES);
    const customers = await insertCustomers(demoCustomers(1000, 7));
    // Live demo journeys, so each event is checked against real event triggers, goals and waits.
    await seedDemoJourneys({ purposes });
    await raw.connect();
    console.log(
      `bench:ingest --store postgres — ${EVENTS} events in batches of ${EVENT_BATCH}, ${IMPORT_ROWS} CSV rows, ${CONSENT_ROWS} CSV rows with consent, ${PHASES} product and ${PHASES} raw phases of each; raw = COPY … FROM STDIN of the same rows; ${os.cpus().length} CPUs shared with other work: figures move with the load`,
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
    const events = await interleave({
      phases: PHASES,
      productFirst: true,
      product: async (phase) => {
        const first = (phase - 1) * perEventPhase;
        const started = performance.now();
        for (let start = first; start < first + perEventPhase; start += EVENT_BATCH) {
          const result = await ingestEvents(
            Array.from({ length: Math.min(EVENT_BATCH, first + perEventPhase - start) }, (_, j) =>
              eventAt(start + j),
            ),
          );
          if (!result.ok) throw new Error(`ingestEvents: ${result.error.message}`);
        }
        return perEventPhase / ((performance.now() - started) / 1000);
      },
      raw: async (phase) => {
        const first = (phase - 1) * perEventPhase;
        const end = first + perEventPhase;
        const started = performance.now();
        for (let start = first; start < end; start += EVENT_BATCH) {
          const receivedAt = Date.now();
          await copyFromLines(
            raw,
            'COPY events (customer_id, name, properties, occurred_at, created_at) FROM STDIN',
            (function* () {
              for (let i = start; i < Math.min(start + EVENT_BATCH, end); i++) {
                const e = eventAt(i);
                yield `${e.customerId}\t${copyText(e.name)}\t${copyText(JSON.stringify(e.properties))}\t${Date.parse(e.occurredAt)}\t${receivedAt}\n`;
              }
            })(),
          );
        }
        return perEventPhase / ((performance.now() - started) / 1000);
      },
      onPhase: (phase, product, rawRate) =>
        console.log(
          `events phase ${phase}: ingestEvents ${Math.round(product)} /s, raw COPY ${Math.round(rawRate)} /s, ratio ${(product / rawRate).toFixed(2)}`,
        ),
    });

    // ---- CSV import ------------------------------------------------------------------------
    const perImportPhase = Math.floor(IMPORT_ROWS / PHASES);
    let peakRss = 0;
    const imports = await interleave({
      phases: PHASES,
      productFirst: true,
      product: async (phase) => {
        const imported = await importBenchPhase(dataDir, phase, perImportPhase);
        peakRss = Math.max(peakRss, imported.peakBytes);
        return imported.rowsPerSecond;
      },
      // The same rows into the columns the import writes (customers.status and the counts its
      // triggers keep included), one COPY in one transaction: the fastest way in.
      raw: async (phase) => {
        const first = (phase - 1) * perImportPhase;
        const createdAt = Date.now();
        const started = performance.now();
        const copied = await copyFromLines(
          raw,
          'COPY customers (external_id, email, name, locale, time_zone, attributes, status, created_at) FROM STDIN',
          (function* () {
            for (let i = first; i < first + perImportPhase; i++) {
              const row = csvRow(i);
              const attributes = JSON.stringify({ city: row.city, segment: row.segment });
              yield `${copyText(`raw-${row.customerNo}`)}\t${copyText(`raw-${row.email}`)}\t${copyText(row.name)}\t${row.language}\tUTC\t${copyText(attributes)}\tactive\t${createdAt}\n`;
            }
          })(),
        );
        if (copied !== perImportPhase) throw new Error(`COPY wrote ${copied} of ${perImportPhase} rows`);
        return perImportPhase / ((performance.now() - started) / 1000);
      },
      onPhase: (phase, product, rawRate) =>
        console.log(
          `import phase ${phase}: ${perImportPhase} rows, import ${Math.round(product)} rows/s, raw COPY ${Math.round(rawRate)} rows/s, ratio ${(product / rawRate).toFixed(2)}; peak RSS ${mb(peakRss).toFixed(0)} MB`,
        ),
    });
    const consentImport = await consentImportPhases(
      PHASES,
      Math.floor(CONSENT_ROWS / PHASES),
      (phase, rows) => importBenchPhase(dataDir, phase, rows, { consent: true }),
    );
    const peakRssMb = mb(peakRss);
    console.log(
      `events: ${Math.round(median(events.product))} /s vs raw COPY ${Math.round(median(events.raw))} /s, ${describeRatio(events)} (target >= 0.4)`,
    );
    console.log(
      `import: ${Math.round(median(imports.product))} rows/s vs raw COPY ${Math.round(median(imports.raw))} rows/s, ${describeRatio(imports)} (targets >= 10000 rows/s and >= 0.25); peak RSS ${peakRssMb.toFixed(0)} MB for ${perImportPhase} rows per import (< ${RSS_LIMIT_MB}: ${peakRssMb < RSS_LIMIT_MB ? 'yes' : 'NO'}); ${loadLine()}`,
    );
    console.log(
      JSON.stringify({
        bench: 'ingest',
        store: 'postgres',
        raw: 'copy',
        phases: PHASES,
        events: perEventPhase * PHASES,
        events_per_s: Math.round(median(events.product)),
        raw_events_per_s: Math.round(median(events.raw)),
        events_ratio: round(events.ratio),
        events_ratio_min: round(events.ratioMin),
        events_ratio_max: round(events.ratioMax),
        import_rows: perImportPhase * PHASES,
        import_rows_per_phase: perImportPhase,
        import_rows_per_s: Math.round(median(imports.product)),
        raw_import_rows_per_s: Math.round(median(imports.raw)),
        import_ratio: round(imports.ratio),
        import_ratio_min: round(imports.ratioMin),
        import_ratio_max: round(imports.ratioMax),
        peak_rss_mb: Math.round(peakRssMb),
        consent_import_rows: consentImport ? consentImport.rows : 0,
        consent_import_rows_per_s: consentImport ? Math.round(consentImport.rowsPerSecond) : null,
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
