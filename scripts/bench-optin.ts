// `npm run bench:optin`: opt-in confirmations per second through POST /optin/{token} on the
// production build (next start), beside a bare node:http handler doing the same token lookup and
// ledger write (confirmOptIn) on the same database, in the same run. Bare and Next phases alternate
// (BENCH_PHASES of each, default 3, the confirmations split between them); prints both medians and
// the median ratio with its spread; the last line is one JSON object. BENCH_OPTIN_COUNT (per
// server, default 3000), BENCH_CONCURRENCY (8).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describeRatio, interleave, loadAverage1, loadLine, median, round, waitForHealth } from './lib/bench';

const count = Number(process.env.BENCH_OPTIN_COUNT || 3000);
const PHASES = Math.max(1, Number(process.env.BENCH_PHASES || 3));
const concurrency = Number(process.env.BENCH_CONCURRENCY || 8);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-bench-optin-'));
const nextPort = Number(process.env.BENCH_PORT || 3290);
process.env.DATABASE_URL = `file:${path.join(dataDir, 'tarmo.db')}`;
process.env.TARMO_DATA_DIR = dataDir;
process.env.APP_URL = `http://127.0.0.1:${nextPort}`;

async function main() {
  const { migrateSqlite } = await import('@/db/migrate');
  const { writeTransaction, openSqlite } = await import('@/db/client');
  const { insertCustomers, insertPurposes } = await import('@/db/store/workspace');
  const { demoCustomers } = await import('@/lib/demo/customers');
  const { DEMO_PURPOSES } = await import('@/lib/demo/purposes');
  const { requestDoubleOptIn } = await import('@/lib/privacy/optin');
  const { optInPost } = await import('@/lib/privacy/customer-pages');
  const { pageResponse } = await import('@/lib/privacy/http');
  // @ts-expect-error plain ESM helper shared with npm start
  const { ensureBuild, distDir } = (await import('./lib/build.mjs')) as {
    ensureBuild: (o: { quiet: boolean }) => void;
    distDir: () => string;
  };

  migrateSqlite();
  await insertPurposes(DEMO_PURPOSES);
  const customers = await insertCustomers(demoCustomers(count * 2 + 100, 5));
  await writeTransaction(async (db) => {
    for (const c of customers)
      await requestDoubleOptIn(db, {
        customerId: c.id,
        purposeKey: 'newsletter',
        themes: ['recipes'],
        source: 'form',
        evidence: { bench: true },
      });
  });
  const rows = openSqlite()
    .sqlite.prepare("SELECT body_text FROM outbox WHERE category = 'optin' ORDER BY id")
    .all() as { body_text: string }[];
  const tokens = rows
    .map((r) => /\/optin\/([A-Za-z0-9_-]{43})/.exec(r.body_text)?.[1])
    .filter((t): t is string => !!t);
  const warm = 50;
  const nextTokens = tokens.slice(0, count + warm);
  const bareTokens = tokens.slice(count + warm, 2 * (count + warm));
  if (bareTokens.length < count + warm) throw new Error('not enough tokens');

  ensureBuild({ quiet: false });
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PORT: String(nextPort) };
  const next = spawn(
    process.execPath,
    ['node_modules/next/dist/bin/next', 'start', '-p', String(nextPort), '-H', '127.0.0.1'],
    { env, stdio: 'ignore' },
  );
  const bare = http.createServer((req, res) => {
    const token = /^\/optin\/([^/?]+)/.exec(req.url ?? '')?.[1];
    req.resume();
    const answer = async () => {
      if (req.method !== 'POST' || !token) return res.writeHead(404).end();
      // Exactly what the route does after parsing: confirm in one transaction and render the page.
      try {
        const page = await optInPost(token, {
          ip: req.socket.remoteAddress,
          userAgent: req.headers['user-agent'] ?? null,
        });
        const headers = Object.fromEntries(pageResponse(page).headers);
        res.writeHead(page.status, headers).end(page.html);
      } catch {
        res.writeHead(500).end();
      }
    };
    req.on('end', () => void answer());
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const barePort = (bare.address() as { port: number }).port;

  try {
    await waitForHealth(`http://127.0.0.1:${nextPort}/api/health`);
    console.log(
      `bench:optin — ${count} confirmations per server, concurrency ${concurrency}, build ${distDir()}`,
    );
    // Warm both (compiled routes, prepared statements), then alternate bare and Next phases.
    await load(`http://127.0.0.1:${nextPort}`, nextTokens.slice(0, warm), warm);
    await load(`http://127.0.0.1:${barePort}`, bareTokens.slice(0, warm), warm);
    const perPhase = Math.floor(count / PHASES);
    const phaseTokens = (tokens: string[], phase: number) =>
      tokens.slice(warm + (phase - 1) * perPhase, warm + phase * perPhase);
    const nextRuns: Awaited<ReturnType<typeof load>>[] = [];
    const bareRuns: Awaited<ReturnType<typeof load>>[] = [];
    const result = await interleave({
      phases: PHASES,
      raw: async (phase) => {
        const run = await load(`http://127.0.0.1:${barePort}`, phaseTokens(bareTokens, phase), 0);
        bareRuns.push(run);
        return run.perSecond;
      },
      product: async (phase) => {
        const run = await load(`http://127.0.0.1:${nextPort}`, phaseTokens(nextTokens, phase), 0);
        nextRuns.push(run);
        return run.perSecond;
      },
      onPhase: (phase, next, bare) =>
        console.log(
          `phase ${phase}: next start ${Math.round(next)} /s, bare ${Math.round(bare)} /s (${perPhase} confirmations each), ratio ${(next / bare).toFixed(2)}`,
        ),
    });
    const summarize = (runs: Awaited<ReturnType<typeof load>>[]) => ({
      perSecond: median(runs.map((run) => run.perSecond)),
      p50: median(runs.map((run) => run.p50)),
      p99: median(runs.map((run) => run.p99)),
      errors: runs.reduce((sum, run) => sum + run.errors, 0),
    });
    const nextRate = summarize(nextRuns);
    const bareRate = summarize(bareRuns);
    const granted = openSqlite()
      .sqlite.prepare("SELECT count(*) AS n FROM consent_state WHERE state = 'granted' AND theme_key = ''")
      .get() as { n: number };
    const ratio = result.ratio;
    console.log(
      `next start  POST /optin/{token}: ${nextRate.perSecond.toFixed(0)} confirmations/s (p50 ${nextRate.p50.toFixed(1)} ms, p99 ${nextRate.p99.toFixed(1)} ms, errors ${nextRate.errors})`,
    );
    console.log(
      `bare node:http same work:        ${bareRate.perSecond.toFixed(0)} confirmations/s (p50 ${bareRate.p50.toFixed(1)} ms, p99 ${bareRate.p99.toFixed(1)} ms, errors ${bareRate.errors})`,
    );
    console.log(
      `next/bare: ${describeRatio(result)} (target >= 0.3); granted in ledger state: ${granted.n}; ${loadLine()}`,
    );
    console.log(
      JSON.stringify({
        bench: 'optin',
        count,
        concurrency,
        nextPerSecond: Math.round(nextRate.perSecond),
        barePerSecond: Math.round(bareRate.perSecond),
        ratio: round(ratio),
        ratioMin: round(result.ratioMin),
        ratioMax: round(result.ratioMax),
        phases: PHASES,
        loadavg1: loadAverage1(),
        nextP99Ms: Number(nextRate.p99.toFixed(1)),
        bareP99Ms: Number(bareRate.p99.toFixed(1)),
        errors: nextRate.errors + bareRate.errors,
        targetMet: ratio >= 0.3,
      }),
    );
  } finally {
    next.kill('SIGTERM');
    bare.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Confirms every token once with `concurrency` parallel clients; the first `warm` are not timed. */
async function load(base: string, tokens: string[], warm: number) {
  const post = async (token: string) => {
    const started = performance.now();
    const res = await fetch(`${base}/optin/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'bench-optin' },
      body: '',
    });
    await res.arrayBuffer();
    return { ms: performance.now() - started, ok: res.status === 200 };
  };
  for (const t of tokens.slice(0, warm)) await post(t);
  const timed = tokens.slice(warm);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < timed.length) {
        const result = await post(timed[next++]);
        latencies.push(result.ms);
        if (!result.ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: timed.length / seconds,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    errors,
  };
}

main().catch((error: unknown) => {
  console.error('bench:optin failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
