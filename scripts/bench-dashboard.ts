/**
 * npm run bench:dashboard — Mission Control at scale.
 *
 * 1. Builds a throw-away SQLite database with BENCH_CUSTOMERS (1,000,000) customers and
 *    BENCH_EVENTS (5,000,000) hash-chained ledger events, bulk-inserted with prepared statements
 *    in large transactions; consent_state and consent_counters are filled to match.
 * 2. Starts the production build (`next start`) on it and measures p50/p99 of
 *    GET /api/v1/consent/summary (API key, sequential requests).
 * 3. Opens GET /api/v1/consent/stream and writes BENCH_RATE (200) consent changes per second
 *    through the real recordConsentEvent; measures ledger commit → event arrival on the stream.
 * Prints the figures; the last line is one JSON object.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { percentile, waitForHealth } from './lib/bench';
import { buildDashboardDatabase, rng } from './lib/dashboard-db';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS || 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS || 5_000_000);
const SUMMARY_REQUESTS = Number(process.env.BENCH_SUMMARY_REQUESTS || 1_000);
const RATE = Number(process.env.BENCH_RATE || 200);
const LIVE_SECONDS = Number(process.env.BENCH_LIVE_SECONDS || 15);
const PORT = Number(process.env.BENCH_PORT || 3590);
const KEEP = process.env.BENCH_KEEP === '1';

const dataDir = fs.mkdtempSync(path.join(process.env.BENCH_DIR || os.tmpdir(), 'tarmo-bench-dashboard-'));
process.env.DATABASE_URL = `file:${path.join(dataDir, 'tarmo.db')}`;
process.env.TARMO_DATA_DIR = dataDir;

const log = (line: string) => console.log(line);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

const round = (n: number) => Math.round(n * 100) / 100;

async function startServer(): Promise<ChildProcess> {
  const { ensureBuild } = (await import(path.resolve('scripts/lib/build.mjs'))) as {
    ensureBuild: (o: { quiet: boolean }) => void;
  };
  ensureBuild({ quiet: true });
  const server = spawn(
    process.execPath,
    ['node_modules/next/dist/bin/next', 'start', '-p', String(PORT), '-H', '127.0.0.1'],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        PORT: String(PORT),
        APP_URL: `http://127.0.0.1:${PORT}`,
        NEXTAUTH_URL: `http://127.0.0.1:${PORT}`,
        // The benchmark measures the dashboard, not the per-key rate limit.
        TARMO_API_RATE_LIMIT: '100000000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await waitForHealth(`http://127.0.0.1:${PORT}/api/health`, 120_000, 300);
  return server;
}

async function measureSummary(apiKey: string) {
  const url = `http://127.0.0.1:${PORT}/api/v1/consent/summary`;
  const headers = { authorization: `Bearer ${apiKey}` };
  for (let i = 0; i < 50; i++) await (await fetch(url, { headers })).arrayBuffer();
  const times: number[] = [];
  let body = '';
  for (let i = 0; i < SUMMARY_REQUESTS; i++) {
    const start = performance.now();
    const response = await fetch(url, { headers });
    body = await response.text();
    if (!response.ok) throw new Error(`summary ${response.status}: ${body.slice(0, 200)}`);
    times.push(performance.now() - start);
  }
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    sample: JSON.parse(body) as { activeCustomers: number; lastEventId: number },
  };
}

async function measureLive(apiKey: string, targets: { purposeId: number; themeKey: string }[]) {
  const { writeTransaction } = await import('@/db/client');
  const { recordConsentEvent } = await import('@/lib/privacy/ledger');
  const arrivals = new Map<number, number>();
  const abort = new AbortController();
  const response = await fetch(`http://127.0.0.1:${PORT}/api/v1/consent/stream`, {
    headers: { authorization: `Bearer ${apiKey}` },
    signal: abort.signal,
  });
  if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let summaries = 0;
  const reading = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const now = performance.now();
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (message.includes('event: summary')) summaries++;
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (message.includes('event: consent') && data) {
            for (const e of (JSON.parse(data) as { events: { id: number }[] }).events)
              if (!arrivals.has(e.id)) arrivals.set(e.id, now);
          }
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  await new Promise((r) => setTimeout(r, 1_000));

  // Each change is its own transaction, as web requests and the worker write them.
  const written = new Map<number, number>();
  const random = rng(7);
  const total = RATE * LIVE_SECONDS;
  const TICK_MS = 20;
  const perTick = (RATE * TICK_MS) / 1000;
  const start = performance.now();
  let done = 0;
  while (done < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * RATE) + perTick);
    while (done < due) {
      const target = targets[Math.floor(random() * targets.length)]!;
      const customerId = 1 + Math.floor(random() * CUSTOMERS);
      const result = await writeTransaction(
        async (db) =>
          await recordConsentEvent(db, {
            customerId,
            purposeId: target.purposeId,
            themeKey: target.themeKey,
            action: random() < 0.5 ? 'grant' : 'withdraw',
            source: 'api',
            evidence: { bench: true },
          }),
      );
      written.set(result.eventId, performance.now());
      done++;
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  const elapsed = (performance.now() - start) / 1000;
  await new Promise((r) => setTimeout(r, 2_000));
  abort.abort();
  await reading;
  const delays: number[] = [];
  for (const [id, at] of written) {
    const arrived = arrivals.get(id);
    if (arrived !== undefined) delays.push(arrived - at);
  }
  return {
    writes: written.size,
    rate: written.size / elapsed,
    received: delays.length,
    summaries,
    p50: percentile(delays, 50),
    p99: percentile(delays, 99),
  };
}

async function main() {
  const began = performance.now();
  log(
    `bench:dashboard — ${CUSTOMERS.toLocaleString('en')} customers, ${EVENTS.toLocaleString('en')} ledger events (${dataDir})`,
  );
  const { targets } = await buildDashboardDatabase({ customers: CUSTOMERS, events: EVENTS, log });
  const dbBytes = fs.statSync(path.join(dataDir, 'tarmo.db')).size;
  if (process.env.BENCH_ONLY_DB === '1') {
    log(`database kept at ${dataDir}`);
    return;
  }
  const { createApiKey } = await import('@/lib/auth/api-keys');
  const { key } = await createApiKey({ name: 'bench', scopes: ['read'] }, { type: 'system' });

  let server: ChildProcess | undefined;
  try {
    let started = performance.now();
    server = await startServer();
    log(`server up in ${seconds(started)} s`);
    started = performance.now();
    const summary = await measureSummary(key);
    log(
      `GET /api/v1/consent/summary (${SUMMARY_REQUESTS} sequential): p50 ${round(summary.p50)} ms, p99 ${round(summary.p99)} ms ` +
        `(active customers ${summary.sample.activeCustomers.toLocaleString('en')}, last event ${summary.sample.lastEventId.toLocaleString('en')})`,
    );
    const live = await measureLive(key, targets);
    log(
      `stream delay at ${round(live.rate)} writes/s: ${live.received}/${live.writes} arrived, p50 ${round(live.p50)} ms, p99 ${round(live.p99)} ms (${live.summaries} summaries)`,
    );
    const result = {
      bench: 'dashboard',
      customers: CUSTOMERS,
      ledgerEvents: EVENTS,
      dbMegabytes: Math.round(dbBytes / 1_048_576),
      summaryRequests: SUMMARY_REQUESTS,
      summaryP50Ms: round(summary.p50),
      summaryP99Ms: round(summary.p99),
      liveWritesPerSecond: round(live.rate),
      liveEventsWritten: live.writes,
      liveEventsReceived: live.received,
      liveDelayP50Ms: round(live.p50),
      liveDelayP99Ms: round(live.p99),
      targets: { summaryP99Ms: 50, liveDelayP99Ms: 1000 },
      pass: summary.p99 < 50 && live.p99 < 1000 && live.received === live.writes,
      totalSeconds: Number(seconds(began)),
    };
    console.log(JSON.stringify(result));
  } finally {
    server?.kill('SIGTERM');
    if (!KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    if (!KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  },
);
