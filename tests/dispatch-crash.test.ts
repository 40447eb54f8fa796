import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlAll, writeTransaction } from '@/db/client';
import { onJourneyPublished } from '@/lib/executor/rollout';
import { sampleSimpleJourney } from '@/lib/journey/samples';
import { messageIdFor } from '@/lib/mail/transport';
import { publishFixtureJourney, runUntilIdle } from '@/tests/fixtures/executor';
import { crashChecks, groupGone, signal, sleep, startWorker } from './helpers/executor-crash';
import { useTempDatabase } from './helpers/db';
import { startSmtpSink } from './helpers/smtp-sink';

/**
 * Mail under crashes, counted where it matters: at a real SMTP server. 1,500 queued journey mails,
 * real worker processes sending them over pooled SMTP connections, SIGKILLed six times while
 * sending and replaced. Every address must receive its mail at least once, and repeats are bounded
 * by the in-flight window: at most TARMO_SMTP_CONCURRENCY mails per kill (mails the server accepted
 * before the worker could record them), each a repeat of the same Message-ID. Runs on SQLite and,
 * with TEST_STORE=postgres, on PostgreSQL.
 */

const database = useTempDatabase();
const CUSTOMERS = 1500;
const KILLS = 6;
const CONCURRENCY = 4;
const checks = crashChecks(() => database.handle().db, CUSTOMERS);
let sink: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  // The server takes a moment per mail, as a real one does, so kills land while mails are in flight.
  sink = await startSmtpSink({ acceptDelayMs: 2 });
  await checks.seedCustomers();
});

afterAll(async () => {
  await sink?.close();
});

describe('dispatch under crashes, counted at the SMTP server', () => {
  it('every mail arrives at least once; repeats stay within the in-flight window and keep their Message-ID', async () => {
    const { journeyId, versionId } = await writeTransaction(
      async (db) => await publishFixtureJourney(db, 'mail crash', sampleSimpleJourney('newsletter')),
      database.handle(),
    );
    await onJourneyPublished(journeyId, versionId, { moveRunning: false });
    await runUntilIdle(Date.now());
    const queued = await checks.count(`SELECT count(*) AS n FROM outbox WHERE status = 'queued'`);
    expect(queued).toBe(CUSTOMERS);

    const env = {
      SMTP_URL: sink.url,
      TARMO_SMTP_CONCURRENCY: String(CONCURRENCY),
      // A killed worker's claimed but unsent mails go out again after this lease.
      TARMO_OUTBOX_LEASE_MS: '5000',
    };
    let worker: ChildProcess = startWorker('mail-crash-0', env);
    try {
      for (let kill = 1; kill <= KILLS; kill++) {
        // Kill once this worker is sending, at a random moment inside its work.
        const before = sink.received.length;
        const deadline = Date.now() + 30_000;
        while (sink.received.length < before + 120 && Date.now() < deadline) await sleep(10);
        await sleep(Math.floor(Math.random() * 60));
        signal(worker, 'SIGKILL');
        await groupGone(worker);
        worker = startWorker(`mail-crash-${kill}`, env);
      }
      // The kills hit the worker while mail was still waiting.
      expect(sink.received.length).toBeLessThan(CUSTOMERS);
      const deadline = Date.now() + 180_000;
      while (
        (await checks.count(`SELECT count(*) AS n FROM outbox WHERE status IN ('queued', 'sending')`)) > 0 &&
        Date.now() < deadline
      )
        await sleep(100);
    } finally {
      signal(worker, 'SIGTERM');
      await groupGone(worker);
    }
    expect(worker.exitCode).toBe(0);

    const rows = (await sqlAll(
      database.handle().db,
      'SELECT idempotency_key, to_address, status FROM outbox',
    )) as {
      idempotency_key: string;
      to_address: string;
      status: string;
    }[];
    expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
    const addressOf = new Map(rows.map((row) => [messageIdFor(row.idempotency_key), row.to_address]));

    // What the server received: only our mails, each to the address its outbox row names.
    for (const mail of sink.received) {
      expect(mail.messageId && addressOf.get(mail.messageId)).toBe(mail.to[0]);
      expect(mail.to).toHaveLength(1);
    }
    // Every address at least once, each with one Message-ID only (a repeat is the same message).
    const idsByAddress = new Map<string, Set<string>>();
    for (const mail of sink.received) {
      const ids = idsByAddress.get(mail.to[0]!) ?? new Set<string>();
      ids.add(mail.messageId!);
      idsByAddress.set(mail.to[0]!, ids);
    }
    expect(idsByAddress.size).toBe(CUSTOMERS);
    expect([...idsByAddress.values()].every((ids) => ids.size === 1)).toBe(true);
    // Repeats: at most the in-flight window per kill.
    const repeats = sink.received.length - CUSTOMERS;
    console.info(`${repeats} repeated deliveries after ${KILLS} kills (window ${CONCURRENCY} per kill)`);
    expect(repeats).toBeLessThanOrEqual(KILLS * CONCURRENCY);
  }, 360_000);
});
