import { describe, expect, it } from 'vitest';
import { openDatabase, readTransaction, writeTransaction } from '@/db/client';
import { type ConsentAction } from '@/lib/vocabulary';
import {
  checkLedgerChain,
  recordConsentEvent,
  verifyLedger,
  type ConsentEventInput,
} from '@/lib/privacy/ledger';
import { seedConsentWorld, useTempDataDir } from './ledger-fixtures';
import { skipWithoutPostgres, useScratchPostgres } from '@/tests/helpers/postgres';

/** The store's consent ledger (lib/privacy/ledger.ts) on PostgreSQL. */
describe.skipIf(skipWithoutPostgres('tests/pg/ledger.test.ts'))('consent ledger on PostgreSQL', () => {
  const pg = useScratchPostgres();
  useTempDataDir();
  const record = (input: ConsentEventInput) =>
    writeTransaction(async (db) => await recordConsentEvent(db, input), openDatabase(pg.url()));
  const pool = () => openDatabase(pg.url()).pool!;
  const check = () => readTransaction((db) => checkLedgerChain(db), openDatabase(pg.url()));

  it('keeps one linear, verifiable chain under concurrent appends from six connections', async () => {
    const { purposeId, customerIds } = await seedConsentWorld(openDatabase(pg.url()).db, 12);
    const actions: ConsentAction[] = ['request', 'grant', 'withdraw', 'grant', 'object'];
    // Six writers at once, each transaction on its own pooled connection.
    await Promise.all(
      Array.from({ length: 6 }, async (_, w) => {
        for (let i = 0; i < 25; i++) {
          await record({
            customerId: customerIds[(w * 25 + i) % customerIds.length],
            purposeId,
            action: actions[(w + i) % actions.length],
            source: 'api',
            evidence: { writer: w, i, ip: '192.0.2.0' },
          });
        }
      }),
    );

    const chain = await pool().query<{ id: number; prev_hash: string; hash: string }>(
      'SELECT id, prev_hash, hash FROM consent_events ORDER BY id',
    );
    expect(chain.rows).toHaveLength(150);
    // Linear: every event links to the one right before it, and no two events share a predecessor.
    chain.rows.slice(1).forEach((row, i) => expect(row.prev_hash).toBe(chain.rows[i].hash));
    expect(new Set(chain.rows.map((row) => row.prev_hash)).size).toBe(150);

    const verification = await verifyLedger(openDatabase(pg.url()));
    expect(verification).toEqual({ ok: true, checked: 150, message: '150 events verified' });
    const checks = await pool().query<{ ok: number; checked_count: number }>(
      'SELECT ok, checked_count FROM ledger_checks',
    );
    expect(checks.rows).toEqual([{ ok: 1, checked_count: 150 }]);

    // consent_state holds each customer's last event; the counters equal a recount of it.
    const stale = await pool().query(
      `SELECT s.customer_id FROM consent_state s
       WHERE s.last_event_id <> (SELECT max(id) FROM consent_events e WHERE e.customer_id = s.customer_id AND e.purpose_id = s.purpose_id)`,
    );
    expect(stale.rows).toEqual([]);
    const counters = await pool().query<{ state: string; count: number }>(
      `SELECT state, count FROM consent_counters WHERE purpose_id = $1 AND count <> 0 ORDER BY state`,
      [purposeId],
    );
    const recount = await pool().query<{ state: string; count: number }>(
      `SELECT state, count(*)::int AS count FROM consent_state WHERE purpose_id = $1 GROUP BY state ORDER BY state`,
      [purposeId],
    );
    expect(counters.rows).toEqual(recount.rows);
  });

  it('records state, notice and counters like the SQLite ledger, and cancels queued marketing mail on withdrawal', async () => {
    const { purposeId, customerIds } = await seedConsentWorld(openDatabase(pg.url()).db, 1, 'offers');
    const customerId = customerIds[0];
    const granted = await record({
      customerId,
      purposeKey: 'offers',
      action: 'grant',
      source: 'form',
      evidence: {},
    });
    expect(granted).toMatchObject({
      purposeId,
      purposeKey: 'offers',
      stateBefore: 'not-asked',
      stateAfter: 'granted',
    });
    const state = await pool().query('SELECT state, notice_hash FROM consent_state WHERE customer_id = $1', [
      customerId,
    ]);
    expect(state.rows).toEqual([{ state: 'granted', notice_hash: 'notice-hash-1' }]);

    await pool().query(
      `INSERT INTO outbox (kind, idempotency_key, category, customer_id, purpose_id, next_attempt_at, created_at)
       VALUES ('email', 'queued-offer', 'marketing', $1, $2, 0, 0), ('email', 'receipt', 'transactional', $1, $2, 0, 0)`,
      [customerId, purposeId],
    );
    const withdrawn = await record({
      customerId,
      purposeId,
      action: 'withdraw',
      source: 'form',
      evidence: {},
    });
    expect(withdrawn).toMatchObject({ stateBefore: 'granted', stateAfter: 'withdrawn' });
    const mail = await pool().query(
      'SELECT idempotency_key, status FROM outbox WHERE customer_id = $1 ORDER BY idempotency_key',
      [customerId],
    );
    expect(mail.rows).toEqual([
      { idempotency_key: 'queued-offer', status: 'cancelled' },
      { idempotency_key: 'receipt', status: 'queued' },
    ]);
    const counters = await pool().query(
      'SELECT state, count FROM consent_counters WHERE purpose_id = $1 ORDER BY state',
      [purposeId],
    );
    expect(counters.rows).toEqual([
      { state: 'granted', count: 0 },
      { state: 'withdrawn', count: 1 },
    ]);
  });

  it('verification finds a forged event appended outside the chain', async () => {
    const before = await check();
    expect(before.ok).toBe(true);
    const forged = await pool().query<{ id: number }>(
      `INSERT INTO consent_events (customer_id, purpose_id, action, state_after, source, evidence_digest, occurred_at, prev_hash, hash)
       SELECT customer_id, purpose_id, 'grant', 'granted', 'staff', evidence_digest, occurred_at, hash, repeat('f', 64)
       FROM consent_events ORDER BY id DESC LIMIT 1 RETURNING id`,
    );
    const after = await check();
    expect(after).toMatchObject({
      ok: false,
      firstBrokenEventId: forged.rows[0].id,
      message: expect.stringMatching(/hash does not match/),
    });
  });
});
