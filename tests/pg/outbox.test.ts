import { describe, expect, it } from 'vitest';
import { Pool } from 'pg';
import { openPostgres } from '@/db/pg/client';
import { claimDueOutbox, markOutboxAttemptFailed, markOutboxSent } from '@/db/pg/outbox';
import { skipWithoutPostgres, useScratchPostgres } from './helpers';

describe.skipIf(skipWithoutPostgres('tests/pg/outbox.test.ts'))('outbox dispatch on PostgreSQL', () => {
  const pg = useScratchPostgres();

  it('concurrent dispatchers never lease the same message; retries and dead dispatchers behave as on SQLite', async () => {
    const { pool } = openPostgres(pg.url());
    const now = Date.now();
    await pool.query(
      `INSERT INTO outbox (kind, idempotency_key, to_address, headers, next_attempt_at, created_at)
       SELECT 'email', 'm-' || g, 'x' || g || '@example.test', '{"X-Test":"1"}'::jsonb, $1, $1 FROM generate_series(1, 300) g`,
      [now],
    );
    const dispatchers = Array.from({ length: 5 }, (_, i) => ({
      owner: `d${i}`,
      pool: new Pool({ connectionString: pg.url(), max: 1 }),
    }));
    const leased = new Map<number, string>();
    const doubles: number[] = [];
    try {
      await Promise.all(
        dispatchers.map(async (d) => {
          for (;;) {
            const batch = await claimDueOutbox(d.pool, { owner: d.owner, now, leaseMs: 60_000, limit: 13 });
            if (batch.length === 0) return;
            for (const message of batch) {
              if (leased.has(message.id)) doubles.push(message.id);
              leased.set(message.id, d.owner);
              expect(message.headers).toEqual({ 'X-Test': '1' });
            }
          }
        }),
      );
    } finally {
      await Promise.all(dispatchers.map((d) => d.pool.end()));
    }
    expect(doubles).toEqual([]);
    expect(leased.size).toBe(300);

    const [first, second, third] = [...leased.keys()].sort((a, b) => a - b);
    expect(await markOutboxSent(pool, first, 'not-the-owner', now)).toBe(false);
    expect(await markOutboxSent(pool, first, leased.get(first)!, now)).toBe(true);
    await markOutboxAttemptFailed(pool, second, leased.get(second)!, 'smtp 451', now + 60_000);
    await markOutboxAttemptFailed(pool, third, leased.get(third)!, 'smtp 550', null);
    // Nothing is due until the retry time, except rows whose dispatcher died (lease ran out).
    expect(await claimDueOutbox(pool, { owner: 'late', now: now + 1, leaseMs: 1_000, limit: 500 })).toEqual(
      [],
    );
    const afterLeases = await claimDueOutbox(pool, {
      owner: 'late',
      now: now + 60_001,
      leaseMs: 1_000,
      limit: 500,
    });
    expect(afterLeases).toHaveLength(297 + 1);
    expect(afterLeases.find((m) => m.id === second)).toMatchObject({ attempts: 1, status: 'sending' });
    const states = await pool.query(
      `SELECT status, count(*)::int AS n FROM outbox GROUP BY status ORDER BY status`,
    );
    expect(states.rows).toEqual([
      { status: 'failed', n: 1 },
      { status: 'sending', n: 298 },
      { status: 'sent', n: 1 },
    ]);
  });
});
