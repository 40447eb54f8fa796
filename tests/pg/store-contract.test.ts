import { describe, expect, it } from 'vitest';
import { openDatabase, sqlAll, sqlRun, writeTransaction, type DbHandle } from '@/db/client';
import {
  claimDueEnrollments,
  insertStepEvent,
  recordFailure,
  savePosition,
} from '@/db/store/enrollment-positions';
import { findLeasedEnrollment, type EnrollmentRecord } from '@/db/store/enrollment-records';
import { insertEnrollment } from '@/db/store/enrollments';
import {
  claimDueOutboxIn,
  insertOutboxEmail,
  markOutboxAttemptFailed,
  markOutboxSent,
} from '@/db/store/outbox';
import { wakeEnrollments } from '@/db/store/wakeups';
import { runExecutorBatch } from '@/lib/executor/engine';
import { graphAround, publishFixtureJourney } from '@/tests/fixtures/executor';
import { useTempDatabase } from '../helpers/db';
import { skipWithoutPostgres, useScratchPostgres } from '@/tests/helpers/postgres';

/**
 * The executor store contract: the ONE store (db/store, lib/executor/engine.ts) runs the same
 * script of claims, lease expiry, stale and fresh commits, paused journeys, waits, wake-ups,
 * failures and outbox claims on a SQLite file and on a scratch PostgreSQL database, and an
 * observer must see the same results on both.
 */

const T = 1_800_000_000_000;

/** A commit as lib/executor/engine.ts makes it: only while the lease is held at the claimed seq. */
async function commit(handle: DbHandle, owner: string, claimed: EnrollmentRecord[], now: number) {
  return await writeTransaction(
    async (db) => {
      const result = { committed: 0, lost: 0 };
      for (const enrollment of claimed) {
        if (!(await findLeasedEnrollment(db, enrollment.id, owner, enrollment.seq))) {
          result.lost++;
          continue;
        }
        const seq = enrollment.seq + 1;
        await savePosition(
          db,
          enrollment.id,
          { ...enrollment, nodeId: 'end', state: 'completed', seq, endedAt: now, runAt: now },
          now,
        );
        await insertStepEvent(db, {
          enrollmentId: enrollment.id,
          seq,
          journeyId: enrollment.journeyId,
          versionId: enrollment.versionId,
          customerId: enrollment.customerId,
          nodeId: enrollment.nodeId,
          stepType: 'send-message',
          outcome: 'sent',
          reason: `sent by ${owner}`,
          at: now,
        });
        await insertOutboxEmail(db, {
          idempotencyKey: `contract-${enrollment.id}-${owner}`,
          category: 'marketing',
          customerId: enrollment.customerId,
          purposeId: null,
          themeKey: null,
          enrollmentId: enrollment.id,
          toAddress: 'c@example.test',
          subject: 'Hi',
          bodyText: 'Hi',
          bodyHtml: null,
          headers: {},
          now,
        });
        result.committed++;
      }
      return result;
    },
    handle,
    { serialized: false },
  );
}

const ids = (records: { id: number }[] | number[]) =>
  records.map((r) => (typeof r === 'number' ? r : r.id)).sort((a, b) => a - b);

/** The script; returns what an observer sees, in store-independent form. */
async function scenario(handle: DbHandle) {
  const db = handle.db;
  const sql = (text: string, params: unknown[] = []) => sqlAll<Record<string, unknown>>(db, text, params);
  const claim = (owner: string, now: number, limit = 10) =>
    writeTransaction(
      async (tx) => await claimDueEnrollments(tx, { owner, now, leaseMs: 1_000, limit }),
      handle,
      { serialized: false },
    );
  const insert = (journeyId: number, customerId: number, now = T) =>
    writeTransaction(
      async (tx) =>
        await insertEnrollment(tx, {
          journeyId,
          versionId: 1,
          customerId,
          nodeId: 'send',
          context: { step: 1 },
          testMode: false,
          now,
        }),
      handle,
    );

  await sqlRun(
    db,
    `INSERT INTO journeys (name, status, created_at) VALUES ('Live', 'live', ?), ('Held', 'paused', ?)`,
    [T, T],
  );
  for (let i = 1; i <= 7; i++)
    await sqlRun(db, `INSERT INTO customers (email, created_at) VALUES (?, ?)`, [`c${i}@example.test`, T]);
  const live: number[] = [];
  for (let c = 1; c <= 5; c++) live.push(await insert(1, c));
  for (let c = 6; c <= 7; c++) await insert(2, c);
  const out: Record<string, unknown> = {};

  // Claims: disjoint, paused journeys held, an expired lease taken over.
  const a = await claim('A', T, 3);
  const b = await claim('B', T + 500);
  out.firstClaims = [a.length, b.length, (await claim('C', T + 600)).length];
  out.disjoint = ids([...a, ...b]).join() === ids(live).join();
  out.leased = a.map((e) => [e.leaseOwner, e.leaseExpiresAt, e.context, e.testMode]);
  const c = await claim('C', T + 1_001);
  out.takeover = ids(c).join() === ids(a).join();

  // Stale commit (lease lost) skips; fresh ones apply.
  const stale = await commit(handle, 'A', a, T + 1_100);
  const fresh = await commit(handle, 'C', c, T + 1_100);
  const other = await commit(handle, 'B', b, T + 1_200);
  out.commits = [stale.committed, stale.lost, fresh.committed, other.committed];
  out.afterCommit = (
    await sql(
      `SELECT state, node_id, seq, lease_owner, ended_at FROM enrollments WHERE journey_id = 1 ORDER BY id`,
    )
  ).map((row) => [row.state, row.node_id, row.seq, row.lease_owner, row.ended_at]);
  out.stepEvents = (await sql(`SELECT reason FROM step_events ORDER BY enrollment_id`)).map((row) =>
    String(row.reason).slice(0, 7),
  );

  // The outbox: claim (paused journeys held), sent, failed attempts, an expired 'sending' lease retried.
  const outboxClaim = (owner: string, now: number, limit: number) =>
    writeTransaction(async (tx) => await claimDueOutboxIn(tx, { owner, now, leaseMs: 1_000, limit }), handle);
  const d1 = await outboxClaim('D1', T + 3_000, 3);
  const d2 = await outboxClaim('D2', T + 3_000, 10);
  out.outboxClaims = [d1.length, d2.length, (await outboxClaim('D3', T + 3_000, 10)).length];
  out.outboxClaimedKeys = d1.map((row) => row.idempotencyKey.replace(/\d+/, '#')).sort();
  await writeTransaction(async (tx) => {
    out.sent = [
      await markOutboxSent(tx, d1[0].id, 'D1', T + 3_100),
      await markOutboxSent(tx, d1[1].id, 'D2', T + 3_100),
    ];
    await markOutboxAttemptFailed(tx, d1[1].id, 'D1', 'smtp 451', T + 9_000);
    // The first enrollment's mail of the second claim: the outbox ids of mails queued in one
    // executor batch follow its claim order, which the two stores need not share.
    const [firstOfD2] = [...d2].sort((a, b) => Number(a.enrollmentId) - Number(b.enrollmentId));
    await markOutboxAttemptFailed(tx, firstOfD2.id, 'D2', 'mailbox unknown', null);
  }, handle);
  out.sendingRetried = (await outboxClaim('D3', T + 4_001, 10)).map((row) => [row.status, row.attempts]);
  out.outbox = (
    await sql(
      `SELECT idempotency_key, status, attempts, last_error, next_attempt_at, lease_owner FROM outbox ORDER BY enrollment_id`,
    )
  ).map((row) => [
    String(row.idempotency_key).replace(/\d+/, '#'),
    row.status,
    row.attempts,
    row.last_error,
    row.next_attempt_at,
    row.lease_owner,
  ]);

  // Waits: not due until run_at or a matching wake-up; failures back off.
  const waiting = await insert(1, 1, T + 2_000);
  await sqlRun(
    db,
    `UPDATE enrollments SET state = 'waiting', wait_key = 'consent:news', run_at = ? WHERE id = ?`,
    [T + 99_000, waiting],
  );
  out.beforeWake = (await claim('W', T + 2_000)).length;
  const wake = (key: string) =>
    writeTransaction(async (tx) => await wakeEnrollments(tx, 1, [key], T + 2_000), handle);
  out.wrongWake = await wake('consent:other');
  out.wake = await wake('consent:news');
  const woken = await claim('W', T + 2_000);
  out.woken = woken.map((e) => [e.state, e.waitKey, e.nodeId]);
  await writeTransaction(
    async (tx) =>
      await recordFailure(tx, waiting, {
        attempts: 1,
        runAt: T + 7_000,
        lastError: 'smtp 451',
        now: T + 2_000,
      }),
    handle,
  );
  out.beforeRetry = (await claim('W', T + 6_999)).length;
  out.retry = (await claim('W', T + 7_000)).map((e) => [e.attempts, e.lastError]);

  // The real engine: entry → wait 1 minute → exit, beside the enrollment that cannot run (its
  // version is not published: the engine records the failure and backs off), paused journeys held.
  const { journeyId, versionId } = await writeTransaction(
    async (tx) =>
      await publishFixtureJourney(
        tx,
        'Contract',
        graphAround(
          { id: 'pause', type: 'wait', position: { x: 0, y: 100 }, config: { mode: 'duration', minutes: 1 } },
          ['next'],
        ),
      ),
    handle,
  );
  const engineEnrollments: number[] = [];
  for (const customerId of [2, 3, 4])
    engineEnrollments.push(
      await writeTransaction(
        async (tx) =>
          await insertEnrollment(tx, {
            journeyId,
            versionId,
            customerId,
            nodeId: 'entry',
            context: {},
            testMode: false,
            now: T + 10_000,
          }),
        handle,
      ),
    );
  const round = async (now: number) => {
    const result = await runExecutorBatch({ workerId: 'E', now: () => now, batchSize: 50 }, handle);
    return [result.claimed, result.transitions, result.failures];
  };
  out.engineRounds = [await round(T + 10_000), await round(T + 10_001), await round(T + 70_000)];
  out.engineFailure = (
    await sql(`SELECT attempts, last_error, run_at, lease_owner FROM enrollments WHERE id = ?`, [waiting])
  ).map((row) => [row.attempts, row.last_error, row.run_at, row.lease_owner]);
  out.engineEnrollments = (
    await sql(
      `SELECT state, node_id, seq, wait_key, ended_at, lease_owner FROM enrollments WHERE journey_id = ? ORDER BY id`,
      [journeyId],
    )
  ).map((row) => [row.state, row.node_id, row.seq, row.wait_key, row.ended_at, row.lease_owner]);
  out.engineSteps = (
    await sql(
      `SELECT seq, node_id, step_type, outcome, at FROM step_events WHERE journey_id = ? ORDER BY enrollment_id, seq`,
      [journeyId],
    )
  ).map((row) => [row.seq, row.node_id, row.step_type, row.outcome, row.at]);
  out.engineStats = (
    await sql(
      `SELECT node_id, handle, count FROM journey_node_stats WHERE journey_id = ? ORDER BY node_id, handle`,
      [journeyId],
    )
  ).map((row) => [row.node_id, row.handle, row.count]);
  out.pausedUntouched = (
    await sql(
      `SELECT count(*) AS n FROM enrollments WHERE journey_id = 2 AND lease_owner IS NULL AND seq = 0`,
    )
  ).map((row) => row.n);
  return out;
}

describe.skipIf(skipWithoutPostgres('tests/pg/store-contract.test.ts'))(
  'executor store contract: one store on SQLite and PostgreSQL',
  () => {
    const sqlite = useTempDatabase({ store: 'sqlite' });
    const pg = useScratchPostgres();

    it('the same script gives the same results on both databases', async () => {
      const onSqlite = await scenario(sqlite.handle());
      const onPostgres = await scenario(openDatabase(pg.url()));
      expect(onSqlite).toMatchObject({
        firstClaims: [3, 2, 0],
        disjoint: true,
        takeover: true,
        commits: [0, 3, 3, 2],
        outboxClaims: [3, 2, 0],
        sent: [true, false],
        beforeWake: 0,
        wrongWake: 0,
        wake: 1,
        beforeRetry: 0,
        retry: [[1, 'smtp 451']],
        engineRounds: [
          // 3 × (entry, wait) + the unrunnable enrollment's failure; then nothing due; then 3 × (wait
          // done, exit) + the failure retried after its backoff.
          [4, 6, 1],
          [0, 0, 0],
          [4, 6, 1],
        ],
        pausedUntouched: [2],
      });
      expect(onPostgres).toEqual(onSqlite);
    });
  },
);
