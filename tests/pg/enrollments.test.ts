import { describe, expect, it } from 'vitest';
import { Pool } from 'pg';
import { openPostgres } from '@/db/pg/client';
import {
  claimDueEnrollments,
  commitTransitions,
  countEnrollmentsByState,
  findEnrollment,
  recordFailure,
  wakeEnrollments,
  type EnrollmentRecord,
  type TransitionCommit,
} from '@/db/pg/enrollments';
import { seedEnrollments } from './seed';
import { skipWithoutPostgres, useScratchPostgres } from './helpers';

function finish(enrollment: EnrollmentRecord, owner: string, now: number): TransitionCommit {
  return {
    enrollmentId: enrollment.id,
    claimedSeq: enrollment.seq,
    position: {
      ...enrollment,
      nodeId: 'end',
      state: 'completed',
      seq: enrollment.seq + 1,
      endedAt: now,
      runAt: now,
    },
    stepEvents: [
      {
        enrollmentId: enrollment.id,
        seq: enrollment.seq + 1,
        journeyId: enrollment.journeyId,
        versionId: enrollment.versionId,
        customerId: enrollment.customerId,
        nodeId: enrollment.nodeId,
        stepType: 'exit',
        outcome: 'none',
        reason: `finished by ${owner}`,
        at: now,
      },
    ],
    outbox: [
      {
        kind: 'email',
        idempotencyKey: `finish-${enrollment.id}-${owner}`,
        enrollmentId: enrollment.id,
        customerId: enrollment.customerId,
        nextAttemptAt: now,
      },
    ],
  };
}

describe.skipIf(skipWithoutPostgres('tests/pg/enrollments.test.ts'))('executor claims on PostgreSQL', () => {
  const pg = useScratchPostgres();

  it('claims from 8 concurrent connections never hand the same enrollment to two workers', async () => {
    const { pool } = openPostgres(pg.url());
    const { ids } = await seedEnrollments(pool, 600);
    const workers = Array.from({ length: 8 }, (_, i) => ({
      owner: `w${i}`,
      pool: new Pool({ connectionString: pg.url(), max: 1 }),
    }));
    try {
      const claimedBy = new Map<number, string[]>();
      await Promise.all(
        workers.map(async (worker) => {
          for (;;) {
            const claimed = await claimDueEnrollments(worker.pool, {
              owner: worker.owner,
              now: Date.now(),
              leaseMs: 600_000,
              limit: 17,
            });
            if (claimed.length === 0) return;
            for (const enrollment of claimed) {
              expect(enrollment.leaseOwner).toBe(worker.owner);
              claimedBy.set(enrollment.id, [...(claimedBy.get(enrollment.id) ?? []), worker.owner]);
            }
          }
        }),
      );
      const doubles = [...claimedBy].filter(([, owners]) => owners.length > 1);
      expect(doubles).toEqual([]);
      expect([...claimedBy.keys()].sort((a, b) => a - b)).toEqual(ids);
      // Work was actually spread over the connections, not done by one.
      const owners = new Set([...claimedBy.values()].map((list) => list[0]));
      expect(owners.size).toBeGreaterThan(1);
    } finally {
      await Promise.all(workers.map((worker) => worker.pool.end()));
    }
  });

  it('commits positions, step events and outbox rows together; a worker whose lease expired commits nothing', async () => {
    const { pool } = openPostgres(pg.url());
    const { ids } = await seedEnrollments(pool, 3);
    const start = Date.now();
    const first = await claimDueEnrollments(pool, { owner: 'slow', now: start, leaseMs: 1_000, limit: 3 });
    expect(first.map((e) => e.id).sort()).toEqual(ids);
    // Still leased: nobody else gets them.
    expect(
      await claimDueEnrollments(pool, { owner: 'fast', now: start + 500, leaseMs: 1_000, limit: 3 }),
    ).toEqual([]);
    // The lease ran out: another worker takes them over and finishes them.
    const second = await claimDueEnrollments(pool, {
      owner: 'fast',
      now: start + 1_001,
      leaseMs: 1_000,
      limit: 3,
    });
    expect(second).toHaveLength(3);
    const fast = await commitTransitions(
      pool,
      'fast',
      second.map((e) => finish(e, 'fast', start + 1_100)),
      start + 1_100,
    );
    expect(fast.committed.sort()).toEqual(ids);
    // The slow worker wakes up and tries to commit the same step: rejected, nothing written.
    const slow = await commitTransitions(
      pool,
      'slow',
      first.map((e) => finish(e, 'slow', start + 1_200)),
      start + 1_200,
    );
    expect(slow).toEqual({ committed: [], lost: expect.arrayContaining(ids) });

    const events = await pool.query<{ enrollment_id: number; seq: number; reason: string }>(
      `SELECT enrollment_id, seq, reason FROM step_events WHERE enrollment_id = ANY($1::int[]) ORDER BY enrollment_id`,
      [ids],
    );
    expect(events.rows.map((row) => row.reason)).toEqual([
      'finished by fast',
      'finished by fast',
      'finished by fast',
    ]);
    const outbox = await pool.query<{ idempotency_key: string }>(
      `SELECT idempotency_key FROM outbox WHERE enrollment_id = ANY($1::int[]) ORDER BY enrollment_id`,
      [ids],
    );
    expect(outbox.rows.map((row) => row.idempotency_key)).toEqual(ids.map((id) => `finish-${id}-fast`));
    const done = await findEnrollment(pool, ids[0]);
    expect(done).toMatchObject({
      state: 'completed',
      nodeId: 'end',
      seq: 1,
      leaseOwner: null,
      leaseExpiresAt: null,
    });
    expect(done?.endedAt).toBe(start + 1_100);
  });

  it('skips paused journeys and future waits; a wake-up makes a wait due at once; failures back off', async () => {
    const { pool } = openPostgres(pg.url());
    const now = Date.now();
    const paused = await seedEnrollments(pool, 2, now);
    await pool.query(`UPDATE journeys SET status = 'paused' WHERE id = $1`, [paused.journeyId]);
    const waiting = await seedEnrollments(pool, 1, now);
    await pool.query(
      `UPDATE enrollments SET state = 'waiting', wait_key = 'consent:newsletter', run_at = $1 WHERE id = $2`,
      [now + 3_600_000, waiting.ids[0]],
    );
    expect(await claimDueEnrollments(pool, { owner: 'w', now, leaseMs: 1_000, limit: 10 })).toEqual([]);

    const customerId = (await findEnrollment(pool, waiting.ids[0]))!.customerId;
    expect(await wakeEnrollments(pool, customerId, ['consent:newsletter'], now)).toBe(1);
    const woken = await claimDueEnrollments(pool, { owner: 'w', now, leaseMs: 1_000, limit: 10 });
    expect(woken.map((e) => e.id)).toEqual(waiting.ids);

    expect(
      await recordFailure(pool, woken[0].id, 'someone-else', {
        attempts: 1,
        runAt: now + 5_000,
        lastError: 'x',
        now,
      }),
    ).toBe(false);
    expect(
      await recordFailure(pool, woken[0].id, 'w', {
        attempts: 1,
        runAt: now + 5_000,
        lastError: 'smtp down',
        now,
      }),
    ).toBe(true);
    expect(await claimDueEnrollments(pool, { owner: 'w', now: now + 1, leaseMs: 1_000, limit: 10 })).toEqual(
      [],
    );
    const retried = await claimDueEnrollments(pool, {
      owner: 'w',
      now: now + 5_000,
      leaseMs: 1_000,
      limit: 10,
    });
    expect(retried).toMatchObject([{ id: waiting.ids[0], attempts: 1, lastError: 'smtp down' }]);
    expect((await countEnrollmentsByState(pool, paused.journeyId)).active).toBe(2);
  });
});
