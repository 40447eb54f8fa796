import { describe, expect, it } from 'vitest';
import { writeTransaction, sqlRun, sqlAll } from '@/db/client';

import { seedDemoWorkspace } from '@/lib/demo/seed';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { isPostgresMode, useTempDatabase } from '@/tests/helpers/db';
import { onEventIngested } from './lifecycle';
import { runUntilIdle } from '@/tests/fixtures/executor';

const database = useTempDatabase();
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

async function query<T>(sql: string, ...params: unknown[]): Promise<T[]> {
  return (await sqlAll(database.handle().db, sql, [...params])) as T[];
}

describe('the seeded demo journey', () => {
  it('runs customers through every step type without a single failure', async () => {
    await seedDemoWorkspace({ password: 'demo-password-for-tests', customerCount: 60, activity: false });
    const [journey] = await query<{ id: number }>(`SELECT id FROM journeys WHERE status = 'live'`);
    const customers = (
      await query<{ id: number }>(`SELECT id FROM customers WHERE status = 'active' ORDER BY id LIMIT 40`)
    ).map((row) => row.id);
    // Some ask for their data, some to be forgotten: every branch gets traffic.
    for (const id of customers.slice(0, 8))
      await sqlRun(
        database.handle().db,
        isPostgresMode()
          ? "UPDATE customers SET attributes = jsonb_set(attributes, '{erasureRequested}', 'true'::jsonb) WHERE id = ?"
          : "UPDATE customers SET attributes = json_set(attributes, '$.erasureRequested', json('true')) WHERE id = ?",
        [id],
      );
    await writeTransaction(async (db) => {
      for (const [index, customerId] of customers.entries()) {
        const names = index % 3 === 1 ? ['data-requested', 'signed-up'] : ['signed-up'];
        for (const name of names) {
          await sqlRun(
            db,
            'INSERT INTO events (customer_id, name, properties, occurred_at, created_at) VALUES (?, ?, ?, ?, ?)',
            [customerId, name, '{}', Date.now(), Date.now()],
          );
          await onEventIngested(db, customerId, { name, occurredAt: new Date(), properties: {} });
        }
      }
    });
    const start = Date.now();
    await runUntilIdle(start);
    // Half of those asked confirm their newsletter; the link of the others expires.
    const waiting = await query<{ customer_id: number }>(
      `SELECT customer_id FROM enrollments WHERE journey_id = ? AND node_id = 'opt-in' AND state = 'waiting' ORDER BY customer_id`,
      journey.id,
    );
    await writeTransaction(async (db) => {
      for (const { customer_id } of waiting.filter((_, index) => index % 2 === 0)) {
        await recordConsentEvent(db, {
          customerId: customer_id,
          purposeKey: 'newsletter',
          action: 'grant',
          source: 'form',
          evidence: { test: true },
        });
      }
    });
    // Every 7 hours for 21 days, so every hour of the day comes round whenever the test starts: the
    // welcome is held for quiet hours (21:00–08:00 in the customer's zone), then a 3-day pause. A few
    // fixed offsets once left customers held until the last run when the test started at 16:18 UTC.
    for (let at = start; at <= start + 21 * DAY; at += 7 * HOUR) await runUntilIdle(at + 1000);

    const states = await query<{ state: string; n: number }>(
      'SELECT state, count(*) AS n FROM enrollments WHERE journey_id = ? GROUP BY state',
      journey.id,
    );
    expect(states.filter((row) => !['completed', 'cancelled'].includes(row.state))).toEqual([]);
    expect(await query(`SELECT 1 FROM enrollments WHERE last_error IS NOT NULL`)).toEqual([]);
    const nodes = new Set(
      (
        await query<{ node_id: string }>(
          'SELECT DISTINCT node_id FROM step_events WHERE journey_id = ?',
          journey.id,
        )
      ).map((row) => row.node_id),
    );
    for (const node of [
      'entry',
      'block-check',
      'opt-in',
      'welcome',
      'pause',
      'offers-gate',
      'asked-for-data',
      'compile',
      'to-customer',
      'partner-gate',
      'wants-erasure',
      'block',
      'forget',
      'exit-done',
      'exit-unconfirmed',
    ]) {
      expect(nodes, node).toContain(node);
    }
  });
});
