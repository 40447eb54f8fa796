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

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (n: number) => Math.round(n * 100) / 100;

/** Deterministic PRNG so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

async function buildDatabase() {
  const { migrateSqlite } = await import('@/db/migrate');
  const { openSqlite } = await import('@/db/client');
  const { insertPurposes } = await import('@/db/store/workspace');
  const { DEMO_PURPOSES } = await import('@/lib/demo/purposes');
  const { chainHash, evidenceDigest, GENESIS_HASH } = await import('@/lib/privacy/ledger');
  const { secretKey } = await import('@/lib/privacy/crypto');

  migrateSqlite();
  const { sqlite } = openSqlite();
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  const purposes = await insertPurposes(DEMO_PURPOSES);

  let started = performance.now();
  const insertCustomer = sqlite.prepare(
    "insert into customers (external_id, email, name, locale, time_zone, attributes, status, created_at) values (?, ?, ?, 'en', 'UTC', '{}', ?, ?)",
  );
  const createdAt = Date.now() - 400 * 86_400_000;
  const BATCH = 50_000;
  for (let start = 1; start <= CUSTOMERS; start += BATCH) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(start + BATCH, CUSTOMERS + 1); i++) {
        insertCustomer.run(
          `b${i}`,
          `c${i}@bench.test`,
          `Customer ${i}`,
          i % 500 === 0 ? 'erased' : 'active',
          createdAt,
        );
      }
    })();
  }
  log(`customers: ${CUSTOMERS.toLocaleString('en')} in ${seconds(started)} s`);

  // Targets: each consent purpose, plus the newsletter's themes.
  const consentPurposes = purposes.filter((p) => p.legalBasis === 'consent');
  const newsletter = await purposes.find((p) => p.key === 'newsletter')!;
  const targets = [
    ...consentPurposes.map((p) => ({ purposeId: p.id, themeKey: '' })),
    ...(DEMO_PURPOSES.find((p) => p.key === 'newsletter')?.themes ?? []).map((t) => ({
      purposeId: newsletter.id,
      themeKey: t.key,
    })),
  ];
  const T = targets.length;
  const STATES = ['not-asked', 'pending', 'granted', 'withdrawn', 'expired', 'objected'] as const;
  const state = new Uint8Array(CUSTOMERS * T);
  const lastEvent = new Uint32Array(CUSTOMERS * T);
  const lastAt = new Float64Array(CUSTOMERS * T);
  const noticeHashes = new Map(
    sqlite
      .prepare("select purpose_id as purposeId, text_hash as hash from notices where locale = 'en'")
      .all()
      .map((r) => [(r as { purposeId: number }).purposeId, (r as { hash: string }).hash]),
  );

  started = performance.now();
  const key = secretKey('ledger-key');
  const digest = evidenceDigest({ source: 'bench' });
  const insertEvent = sqlite.prepare(
    'insert into consent_events (id, customer_id, purpose_id, theme_key, action, state_after, source, notice_hash, evidence_digest, occurred_at, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const random = rng(20261123);
  const spanMs = 365 * 86_400_000;
  const firstAt = Date.now() - spanMs - 60_000;
  let prevHash = GENESIS_HASH;
  const EVENT_BATCH = 100_000;
  for (let start = 1; start <= EVENTS; start += EVENT_BATCH) {
    sqlite.transaction(() => {
      for (let id = start; id < Math.min(start + EVENT_BATCH, EVENTS + 1); id++) {
        const customer = 1 + Math.floor(random() * CUSTOMERS);
        const t = Math.floor(random() * T);
        const slot = (customer - 1) * T + t;
        const before = state[slot]!;
        // A plausible life cycle: ask, then mostly confirm; later some withdraw or object.
        const r = random();
        let action: 'request' | 'grant' | 'withdraw' | 'expire' | 'object';
        if (before === 0 || before === 3 || before === 4) action = 'request';
        else if (before === 1) action = r < 0.75 ? 'grant' : 'expire';
        else if (before === 2) action = r < 0.85 ? 'withdraw' : 'object';
        else action = 'request';
        const after = { request: 1, grant: 2, withdraw: 3, expire: 4, object: 5 }[action];
        const occurredAt = new Date(firstAt + Math.floor((id / EVENTS) * spanMs));
        const target = targets[t]!;
        const noticeHash = action === 'grant' ? (noticeHashes.get(target.purposeId) ?? null) : null;
        const fields = {
          prevHash,
          customerId: customer,
          purposeId: target.purposeId,
          themeKey: target.themeKey,
          action,
          stateAfter: STATES[after]!,
          occurredAt,
          source: 'import' as const,
          noticeHash,
          evidenceDigest: digest,
        };
        const hash = chainHash(key, fields);
        insertEvent.run(
          id,
          customer,
          target.purposeId,
          target.themeKey,
          action,
          STATES[after],
          'import',
          noticeHash,
          digest,
          occurredAt.getTime(),
          prevHash,
          hash,
        );
        prevHash = hash;
        state[slot] = after;
        lastEvent[slot] = id;
        lastAt[slot] = occurredAt.getTime();
      }
    })();
    if ((start - 1) % 1_000_000 === 0 && start > 1)
      log(`  ledger: ${(start - 1).toLocaleString('en')} events, ${seconds(started)} s`);
  }
  log(`ledger events: ${EVENTS.toLocaleString('en')} in ${seconds(started)} s`);

  started = performance.now();
  const insertState = sqlite.prepare(
    'insert into consent_state (customer_id, purpose_id, theme_key, state, last_event_id, notice_hash, updated_at) values (?, ?, ?, ?, ?, null, ?)',
  );
  const counts = new Map<string, number>();
  for (let start = 0; start < CUSTOMERS * T; start += 500_000) {
    sqlite.transaction(() => {
      for (let slot = start; slot < Math.min(start + 500_000, CUSTOMERS * T); slot++) {
        if (!state[slot]) continue;
        const target = targets[slot % T]!;
        const name = STATES[state[slot]!]!;
        insertState.run(
          Math.floor(slot / T) + 1,
          target.purposeId,
          target.themeKey,
          name,
          lastEvent[slot],
          lastAt[slot],
        );
        const k = `${target.purposeId}|${target.themeKey}|${name}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    })();
  }
  const insertCounter = sqlite.prepare(
    'insert into consent_counters (purpose_id, theme_key, state, count) values (?, ?, ?, ?)',
  );
  sqlite.transaction(() => {
    for (const [k, count] of counts) {
      const [purposeId, themeKey, name] = k.split('|');
      insertCounter.run(Number(purposeId), themeKey, name, count);
    }
  })();
  log(`consent_state and counters in ${seconds(started)} s`);

  // Some blocks, open privacy requests and a ledger check, so every panel has work to do.
  const now = Date.now();
  sqlite.transaction(() => {
    const block = sqlite.prepare(
      "insert into contact_blocks (customer_id, scope, channel, theme_key, reason, evidence, set_at, set_by) values (?, ?, ?, ?, ?, 'bench', ?, 'bench')",
    );
    const scopes = [
      ['all', null, null],
      ['channel', 'email', null],
      ['theme', null, 'recipes'],
      ['theme', null, 'events'],
    ] as const;
    const reasons = ['customer-request', 'complaint', 'bounce', 'legal'];
    for (let i = 0; i < 20_000; i++) {
      const [scope, channel, theme] = scopes[i % scopes.length]!;
      block.run(
        1 + Math.floor(random() * CUSTOMERS),
        scope,
        channel,
        theme,
        reasons[i % reasons.length],
        now,
      );
    }
    const request = sqlite.prepare(
      "insert into privacy_requests (customer_id, kind, status, source, details, received_at, due_at) values (?, ?, ?, 'api', '{}', ?, ?)",
    );
    const kinds = ['access', 'erasure', 'objection', 'portability'];
    const statuses = ['open', 'in-progress', 'completed', 'completed'];
    for (let i = 0; i < 5_000; i++) {
      const received = now - Math.floor(random() * 60 * 86_400_000);
      request.run(
        1 + Math.floor(random() * CUSTOMERS),
        kinds[i % 4],
        statuses[i % 4],
        received,
        received + 30 * 86_400_000,
      );
    }
    sqlite
      .prepare("insert into ledger_checks (created_at, ok, checked_count, message) values (?, 1, ?, 'bench')")
      .run(now, EVENTS);
  })();
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('analyze');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return { targets };
}

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
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/health`)).ok) return server;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 300));
  }
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
  const { targets } = await buildDatabase();
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
