// `npm run bench:dispatch [-- --mails 20000 --phases 3 --e2e-customers 100000]`: journey mail
// through a real SMTP server on loopback (smtp-server, in a process of its own), measured as mails
// the server accepted per second.
//   product: the dispatcher (claim + send-time guard + render per batch transaction, pooled SMTP
//            connections, each mail recorded sent as soon as the server accepted it), on queued
//            journey mails (a designed message) in a fresh SQLite file;
//   raw:     nodemailer with the same pool settings sending the same rendered messages, no database.
// Product and raw phases alternate (--phases of each, the queued mails split between the product
// phases), and the median ratio is printed with its spread. Then, in a child process with its own
// database, the end-to-end time for --e2e-customers customers (0 skips it): publish (enroll),
// executor, dispatcher, until the server accepted the last mail. TARMO_SMTP_CONCURRENCY applies.
// Last line: one JSON object.
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  describeRatio,
  interleave,
  intFlag,
  loadAverage1,
  loadLine,
  median,
  round,
  rssSampler,
} from './lib/bench';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => intFlag(args, name, fallback);
const E2E_ONLY = args.includes('--e2e-only');
const MAILS = flag('mails', 20_000);
const PHASES = Math.max(1, flag('phases', 3));
const E2E_CUSTOMERS = flag('e2e-customers', 100_000);
const WARMUP = 500;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-bench-dispatch-'));
process.env.DATABASE_URL = `file:${path.join(dir, 'bench.db')}`;
process.env.TARMO_DATA_DIR = dir;
process.env.APP_URL ??= 'http://127.0.0.1:3000';

const rss = rssSampler(250);
const sampleRss = () => rss.sample();

type SinkCount = { accepted: number; distinct: number; lastAt: number };

/** The SMTP server process; `count()` asks it what it accepted so far. */
async function startSink() {
  const child = fork(path.join(import.meta.dirname, 'lib', 'smtp-sink.mjs'), [], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', () => reject(new Error('the SMTP sink exited')));
  });
  const count = () =>
    new Promise<SinkCount>((resolve) => {
      const answer = (message: SinkCount & { accepted?: number }) => {
        if (typeof message.accepted !== 'number') return;
        child.off('message', answer);
        resolve(message);
      };
      child.on('message', answer);
      child.send({ type: 'count' });
    });
  return { port, count, stop: () => child.disconnect() };
}

/** Journey mail queued for `customers` customers: the designed bench message, one per customer. */
async function queueJourneyMail(customers: number, options: { runExecutor: boolean }) {
  const { migrateSqlite } = await import('@/db/migrate');
  const { openSqlite, writeTransaction } = await import('@/db/client');
  const { insertFixtureCustomers, publishFixtureJourney, seedDemoPurposes } =
    await import('@/tests/fixtures/executor');
  const { sampleSimpleJourney } = await import('@/lib/journey/samples');
  const { BENCH_DESIGNED_MESSAGE } = await import('@/lib/messages/bench-message');
  const { onJourneyPublished } = await import('@/lib/executor/rollout');
  const { runExecutorBatch } = await import('@/lib/executor/engine');
  migrateSqlite();
  const handle = openSqlite();
  const purposes = await seedDemoPurposes();
  const newsletter = purposes.find((purpose) => purpose.key === 'newsletter')!;
  for (let seeded = 0; seeded < customers; seeded += 10_000) {
    const count = Math.min(10_000, customers - seeded);
    await writeTransaction(
      async (db) =>
        await insertFixtureCustomers(db, count, { grantPurposeIds: [newsletter.id], startIndex: seeded }),
      handle,
    );
  }
  const graph = sampleSimpleJourney('newsletter');
  for (const node of graph.nodes)
    if (node.type === 'send-message')
      node.config = { purpose: 'newsletter', channel: 'email', content: BENCH_DESIGNED_MESSAGE };
  const { journeyId, versionId } = await writeTransaction(
    async (db) => await publishFixtureJourney(db, 'bench dispatch', graph),
    handle,
  );
  const publishedAt = Date.now();
  await onJourneyPublished(journeyId, versionId, { moveRunning: false });
  if (options.runExecutor)
    for (;;) {
      const batch = await runExecutorBatch({ workerId: 'bench', batchSize: 1000 }, handle);
      if (batch.failures > 0) throw new Error(`${batch.failures} enrollments failed`);
      if (batch.claimed === 0) break;
    }
  return { handle, publishedAt };
}

/** The child process of the end-to-end phase: publish, then one worker until nothing is left. */
async function e2eOnly() {
  const { runWorker } = await import('@/lib/worker/worker');
  const { publishedAt } = await queueJourneyMail(E2E_CUSTOMERS, { runExecutor: false });
  const enrolledSeconds = (Date.now() - publishedAt) / 1000;
  await runWorker({ workerId: 'bench-e2e', exitWhenIdle: true });
  sampleRss();
  console.log(
    JSON.stringify({
      publishedAt,
      enrolledSeconds,
      peakRss: rss.processPeakMb() * 1048576,
    }),
  );
}

async function main() {
  const sink = await startSink();
  process.env.SMTP_URL = `smtp://127.0.0.1:${sink.port}`;
  try {
    const nodemailer = (await import('nodemailer')).default;
    const { sqlAll } = await import('@/db/client');
    const { dispatchDueOutbox } = await import('@/lib/outbox/dispatcher');
    const { pooledSmtpOptions, smtpConcurrency, smtpMessageOf, closeSmtpPool } =
      await import('@/lib/mail/transport');
    const concurrency = smtpConcurrency();
    const perPhase = Math.floor(MAILS / PHASES);
    const setupStart = performance.now();
    const { handle } = await queueJourneyMail(MAILS + WARMUP, { runExecutor: true });
    console.log(
      `bench:dispatch — ${MAILS} journey mails (designed message) queued for ${MAILS + WARMUP} customers in ${((performance.now() - setupStart) / 1000).toFixed(1)} s; ${PHASES} product and ${PHASES} raw phases of ${perPhase} mails; ${concurrency} pooled SMTP connections (TARMO_SMTP_CONCURRENCY); loopback smtp-server in its own process. The machine is shared: figures move with its load.`,
    );
    const raw = nodemailer.createTransport(pooledSmtpOptions(process.env.SMTP_URL, concurrency));

    type Row = {
      idempotency_key: string;
      to_address: string;
      subject: string;
      body_text: string;
      body_html: string | null;
      headers: string;
    };
    async function productPhase(count: number) {
      const before = await sink.count();
      const sentSince = Date.now();
      let sent = 0;
      const start = performance.now();
      while (sent < count) {
        const round = await dispatchDueOutbox(
          { workerId: 'bench', limit: Math.min(2000, count - sent) },
          handle,
        );
        sent += round.sent;
        if (round.sent + round.retried + round.failed + round.cancelled + round.deferred === 0) break;
        if (round.retried + round.failed + round.cancelled > 0)
          throw new Error(`not all sent: ${JSON.stringify(round)}`);
      }
      const seconds = (performance.now() - start) / 1000;
      const after = await sink.count();
      sampleRss();
      if (after.accepted - before.accepted !== sent)
        throw new Error(
          `the server accepted ${after.accepted - before.accepted} mails, the outbox says ${sent}`,
        );
      const rows = (await sqlAll(
        handle.db,
        `SELECT idempotency_key, to_address, subject, body_text, body_html, headers FROM outbox
          WHERE status = 'sent' AND sent_at >= ? ORDER BY id`,
        [sentSince],
      )) as Row[];
      return { perSecond: sent / seconds, seconds, rows };
    }
    async function rawPhase(rows: Row[]) {
      const messages = rows.map((row) =>
        smtpMessageOf({
          idempotencyKey: row.idempotency_key,
          to: row.to_address,
          subject: row.subject,
          text: row.body_text,
          html: row.body_html,
          headers: JSON.parse(row.headers) as Record<string, string>,
        }),
      );
      const before = await sink.count();
      const start = performance.now();
      await Promise.all(messages.map((message) => raw.sendMail(message)));
      const seconds = (performance.now() - start) / 1000;
      const after = await sink.count();
      sampleRss();
      if (after.accepted - before.accepted !== messages.length)
        throw new Error(`raw: the server accepted ${after.accepted - before.accepted} of ${messages.length}`);
      return { perSecond: messages.length / seconds, seconds };
    }

    // Warm-up, not timed: compiles the template, opens the pools of both.
    const warm = await productPhase(WARMUP);
    await rawPhase(warm.rows);

    // Product first in each phase: the raw phase sends what the product phase just rendered.
    let lastRows: Row[] = [];
    const result = await interleave({
      phases: PHASES,
      productFirst: true,
      product: async () => {
        const mails = await productPhase(perPhase);
        lastRows = mails.rows;
        return mails.perSecond;
      },
      raw: async () => (await rawPhase(lastRows)).perSecond,
      onPhase: (phase, productRate, rawRate) =>
        console.log(
          `phase ${phase}: product ${lastRows.length} mails = ${Math.round(productRate)} /s; raw ${Math.round(rawRate)} /s; ratio ${(productRate / rawRate).toFixed(2)}; RSS ${rss.peakMb().toFixed(0)} MB`,
        ),
    });
    raw.close();
    closeSmtpPool();
    const total = await sink.count();
    const ratio = result.ratio;
    console.log(
      `dispatch: ${Math.round(median(result.product))} mails/s accepted by the server (median of ${PHASES}), raw ${Math.round(median(result.raw))} /s; ${describeRatio(result)} (target >= 0.6); server received ${total.distinct} distinct Message-IDs; ${loadLine()}`,
    );

    let e2eSeconds: number | null = null;
    let e2eRssMb: number | null = null;
    if (E2E_CUSTOMERS > 0) {
      const before = await sink.count();
      const child = spawn(
        process.execPath,
        [...process.execArgv, import.meta.filename, '--e2e-only', '--e2e-customers', String(E2E_CUSTOMERS)],
        { env: process.env, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      if (code !== 0) throw new Error(`the end-to-end phase failed (${code}): ${output}`);
      const report = JSON.parse(output.trim().split('\n').at(-1)!) as {
        publishedAt: number;
        enrolledSeconds: number;
        peakRss: number;
      };
      const after = await sink.count();
      if (after.accepted - before.accepted !== E2E_CUSTOMERS)
        throw new Error(
          `end to end: the server accepted ${after.accepted - before.accepted} of ${E2E_CUSTOMERS}`,
        );
      e2eSeconds = (after.lastAt - report.publishedAt) / 1000;
      e2eRssMb = report.peakRss / 1048576;
      console.log(
        `end to end: ${E2E_CUSTOMERS} customers from publish to the last mail accepted in ${e2eSeconds.toFixed(1)} s (enrolled in ${report.enrolledSeconds.toFixed(1)} s; one worker process: executor and dispatcher; peak RSS ${e2eRssMb.toFixed(0)} MB)`,
      );
    }

    sampleRss();
    console.log(
      JSON.stringify({
        mails_per_s: Math.round(median(result.product)),
        raw_per_s: Math.round(median(result.raw)),
        ratio: round(ratio),
        ratio_min: round(result.ratioMin),
        ratio_max: round(result.ratioMax),
        phases: PHASES,
        smtp_concurrency: concurrency,
        e2e_customers: E2E_CUSTOMERS,
        e2e_seconds: e2eSeconds === null ? null : Number(e2eSeconds.toFixed(1)),
        peak_rss_mb: Math.round(rss.processPeakMb()),
        loadavg1: loadAverage1(),
      }),
    );
  } finally {
    sink.stop();
  }
}

(E2E_ONLY ? e2eOnly() : main())
  .then(() => fs.rmSync(dir, { recursive: true, force: true }))
  .catch((error: unknown) => {
    console.error(error);
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  });
