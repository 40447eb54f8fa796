import { describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import * as sqliteStore from '@/db/store/enrollments';
import { wakeEnrollments as wakeSqlite } from '@/db/store/wakeups';
import { insertOutboxEmailSync } from '@/db/store/outbox';
import { openPostgres } from '@/db/pg/client';
import * as pgStore from '@/db/pg/enrollments';
import type { CommitResult, EnrollmentRecord, TransitionCommit } from '@/db/pg/enrollments';
import { useTempDatabase } from '../helpers/db';
import { skipWithoutPostgres, useScratchPostgres } from './helpers';

/**
 * The executor store contract, run against both implementations: the same script of claims,
 * lease expiry, stale and fresh commits, paused journeys, waits, wake-ups and failures must give
 * the same observable results on SQLite (db/store) and PostgreSQL (db/pg).
 */
interface ExecutorStore {
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  claim(options: sqliteStore.ClaimOptions): Promise<EnrollmentRecord[]>;
  commit(owner: string, commits: TransitionCommit[], now: number): Promise<CommitResult>;
  wake(customerId: number, keys: string[], now: number): Promise<number>;
  fail(
    id: number,
    owner: string,
    failure: { attempts: number; runAt: number; lastError: string; now: number },
  ): Promise<void>;
  insert(enrollment: sqliteStore.NewEnrollment): Promise<number>;
}

function sqliteAdapter(
  handle: () => ReturnType<ReturnType<typeof useTempDatabase>['handle']>,
): ExecutorStore {
  return {
    async sql(text, params = []) {
      const statement = handle().sqlite.prepare(text.replace(/\$\d+/g, '?'));
      return statement.reader
        ? (statement.all(...params) as Record<string, unknown>[])
        : (statement.run(...params), []);
    },
    claim: (options) => sqliteStore.claimDueEnrollments(options),
    async commit(owner, commits, now) {
      // What lib/executor/engine.ts does in its commit transaction: only while the lease is held at the claimed seq.
      return await writeTransaction(async (db) => {
        const result: CommitResult = { committed: [], lost: [] };
        for (const commit of commits) {
          if (!await sqliteStore.findLeasedEnrollmentSync(db, commit.enrollmentId, owner, commit.claimedSeq)) {
            result.lost.push(commit.enrollmentId);
            continue;
          }
          await sqliteStore.savePositionSync(db, commit.enrollmentId, commit.position, now);
          for (const event of commit.stepEvents) await sqliteStore.insertStepEventSync(db, event);
          for (const message of commit.outbox ?? []) {
            await insertOutboxEmailSync(db, {
              idempotencyKey: message.idempotencyKey,
              category: 'marketing',
              customerId: message.customerId ?? null,
              purposeId: null,
              themeKey: null,
              enrollmentId: message.enrollmentId ?? null,
              toAddress: message.toAddress ?? '',
              subject: message.subject ?? '',
              bodyText: message.bodyText ?? '',
              bodyHtml: null,
              headers: {},
              now,
            });
          }
          result.committed.push(commit.enrollmentId);
        }
        return result;
      });
    },
    async wake(customerId, keys, now) {
      return await writeTransaction(async (db) => await wakeSqlite(db, customerId, keys, now));
    },
    async fail(id, _owner, failure) {
      await writeTransaction(async (db) => await sqliteStore.recordFailureSync(db, id, failure));
    },
    async insert(enrollment) {
      return await writeTransaction(async (db) => await sqliteStore.insertEnrollmentSync(db, enrollment));
    },
  };
}

function pgAdapter(url: () => string): ExecutorStore {
  const pool = () => openPostgres(url()).pool;
  return {
    async sql(text, params = []) {
      return (await pool().query(text, params)).rows;
    },
    claim: (options) => pgStore.claimDueEnrollments(pool(), options),
    commit: (owner, commits, now) => pgStore.commitTransitions(pool(), owner, commits, now),
    wake: (customerId, keys, now) => pgStore.wakeEnrollments(pool(), customerId, keys, now),
    async fail(id, owner, failure) {
      await pgStore.recordFailure(pool(), id, owner, failure);
    },
    insert: async (enrollment) => (await pgStore.insertEnrollments(pool(), [enrollment]))[0],
  };
}

function finish(enrollment: EnrollmentRecord, owner: string, now: number): TransitionCommit {
  const seq = enrollment.seq + 1;
  return {
    enrollmentId: enrollment.id,
    claimedSeq: enrollment.seq,
    position: { ...enrollment, nodeId: 'end', state: 'completed', seq, endedAt: now, runAt: now },
    stepEvents: [
      {
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
      },
    ],
    outbox: [
      {
        kind: 'email',
        idempotencyKey: `contract-${enrollment.id}-${owner}`,
        enrollmentId: enrollment.id,
        customerId: enrollment.customerId,
        toAddress: 'c@example.test',
        subject: 'Hi',
        bodyText: 'Hi',
        nextAttemptAt: now,
      },
    ],
  };
}

const ids = (records: { id: number }[] | number[]) =>
  records.map((r) => (typeof r === 'number' ? r : r.id)).sort((a, b) => a - b);

/** The scenario; returns what an observer sees, in store-independent form. */
async function scenario(store: ExecutorStore) {
  const T = 1_800_000_000_000;
  await store.sql(
    `INSERT INTO journeys (name, status, created_at) VALUES ('Live', 'live', ${T}), ('Held', 'paused', ${T})`,
  );
  for (let i = 1; i <= 7; i++)
    await store.sql(`INSERT INTO customers (email, created_at) VALUES ('c${i}@example.test', ${T})`);
  const base = { versionId: 1, nodeId: 'send', context: { step: 1 }, testMode: false, now: T };
  const live: number[] = [];
  for (let c = 1; c <= 5; c++) live.push(await store.insert({ ...base, journeyId: 1, customerId: c }));
  for (let c = 6; c <= 7; c++) await store.insert({ ...base, journeyId: 2, customerId: c });
  const out: Record<string, unknown> = {};

  const a = await store.claim({ owner: 'A', now: T, leaseMs: 1_000, limit: 3 });
  const b = await store.claim({ owner: 'B', now: T + 500, leaseMs: 1_000, limit: 10 });
  out.firstClaims = [
    a.length,
    b.length,
    (await store.claim({ owner: 'C', now: T + 600, leaseMs: 1_000, limit: 10 })).length,
  ];
  out.disjoint = ids([...a, ...b]).join() === ids(live).join();
  out.leased = a.map((e) => [e.leaseOwner, e.leaseExpiresAt, e.context, e.testMode]);
  const c = await store.claim({ owner: 'C', now: T + 1_001, leaseMs: 1_000, limit: 10 });
  out.takeover = ids(c).join() === ids(a).join();
  const stale = await store.commit(
    'A',
    a.map((e) => finish(e, 'A', T + 1_100)),
    T + 1_100,
  );
  const fresh = await store.commit(
    'C',
    c.map((e) => finish(e, 'C', T + 1_100)),
    T + 1_100,
  );
  const other = await store.commit(
    'B',
    b.map((e) => finish(e, 'B', T + 1_200)),
    T + 1_200,
  );
  out.commits = [stale.committed.length, stale.lost.length, fresh.committed.length, other.committed.length];
  out.afterCommit = (
    await store.sql(
      `SELECT state, node_id, seq, lease_owner, ended_at FROM enrollments WHERE journey_id = 1 ORDER BY id`,
    )
  ).map((row) => [row.state, row.node_id, Number(row.seq), row.lease_owner, Number(row.ended_at)]);
  out.stepEvents = (await store.sql(`SELECT reason FROM step_events ORDER BY enrollment_id`)).map((row) =>
    String(row.reason).slice(0, 7),
  );
  out.outbox = (await store.sql(`SELECT idempotency_key, status FROM outbox ORDER BY enrollment_id`)).map(
    (row) => [String(row.idempotency_key).replace(/\d+/, '#'), row.status],
  );

  // Waits: not due until run_at or a matching wake-up; failures back off.
  const waiting = await store.insert({ ...base, journeyId: 1, customerId: 1, now: T + 2_000 });
  await store.sql(
    `UPDATE enrollments SET state = 'waiting', wait_key = 'consent:news', run_at = $1 WHERE id = $2`,
    [T + 99_000, waiting],
  );
  out.beforeWake = (await store.claim({ owner: 'W', now: T + 2_000, leaseMs: 1_000, limit: 10 })).length;
  out.wrongWake = await store.wake(1, ['consent:other'], T + 2_000);
  out.wake = await store.wake(1, ['consent:news'], T + 2_000);
  const woken = await store.claim({ owner: 'W', now: T + 2_000, leaseMs: 1_000, limit: 10 });
  out.woken = woken.map((e) => [e.state, e.waitKey, e.nodeId]);
  await store.fail(waiting, 'W', { attempts: 1, runAt: T + 7_000, lastError: 'smtp 451', now: T + 2_000 });
  out.beforeRetry = (await store.claim({ owner: 'W', now: T + 6_999, leaseMs: 1_000, limit: 10 })).length;
  out.retry = (await store.claim({ owner: 'W', now: T + 7_000, leaseMs: 1_000, limit: 10 })).map((e) => [
    e.attempts,
    e.lastError,
  ]);
  out.pausedUntouched = (
    await store.sql(`SELECT count(*) AS n FROM enrollments WHERE journey_id = 2 AND lease_owner IS NULL`)
  ).map((row) => Number(row.n));
  return out;
}

describe.skipIf(skipWithoutPostgres('tests/pg/store-contract.test.ts'))(
  'executor store contract: SQLite and PostgreSQL',
  () => {
    const sqlite = useTempDatabase();
    const pg = useScratchPostgres();

    it('the same script gives the same results on both stores', async () => {
      const onSqlite = await scenario(sqliteAdapter(sqlite.handle));
      const onPostgres = await scenario(pgAdapter(pg.url));
      expect(onSqlite).toMatchObject({
        firstClaims: [3, 2, 0],
        disjoint: true,
        takeover: true,
        commits: [0, 3, 3, 2],
        beforeWake: 0,
        wrongWake: 0,
        wake: 1,
        beforeRetry: 0,
        retry: [[1, 'smtp 451']],
        pausedUntouched: [2],
      });
      expect(onPostgres).toEqual(onSqlite);
    });
  },
);
