import { describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { prepared } from '@/db/store/enrollments';
import { seedDemoWorkspace } from '@/lib/demo/seed';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { useTempDatabase } from '@/tests/helpers/db';
import { onEventIngested } from './lifecycle';
import { runUntilIdle } from './test-fixtures';

const database = useTempDatabase();
const DAY = 24 * 60 * 60 * 1000;

function query<T>(sql: string, ...params: unknown[]): T[] {
  return prepared(database.handle().db, sql).all(...params) as T[];
}

describe('the seeded demo journey', () => {
  it('runs customers through every step type without a single failure', async () => {
    await seedDemoWorkspace({ password: 'demo-password-for-tests', customerCount: 60, activity: false });
    const [journey] = query<{ id: number }>(`SELECT id FROM journeys WHERE status = 'live'`);
    const customers = query<{ id: number }>(
      `SELECT id FROM customers WHERE status = 'active' ORDER BY id LIMIT 40`,
    ).map((row) => row.id);
    // Some ask for their data, some to be forgotten: every branch gets traffic.
    customers
      .slice(0, 8)
      .forEach((id) =>
        prepared(
          database.handle().db,
          'UPDATE customers SET attributes = json_set(attributes, ?, json(?)) WHERE id = ?',
        ).run('$.erasureRequested', 'true', id),
      );
    writeTransaction((db) => {
      for (const [index, customerId] of customers.entries()) {
        const names = index % 3 === 1 ? ['data-requested', 'signed-up'] : ['signed-up'];
        for (const name of names) {
          prepared(
            db,
            'INSERT INTO events (customer_id, name, properties, occurred_at, created_at) VALUES (?, ?, ?, ?, ?)',
          ).run(customerId, name, '{}', Date.now(), Date.now());
          onEventIngested(db, customerId, { name, occurredAt: new Date(), properties: {} });
        }
      }
    });
    const start = Date.now();
    runUntilIdle(start);
    // Half of those asked confirm their newsletter; the link of the others expires.
    const waiting = query<{ customer_id: number }>(
      `SELECT customer_id FROM enrollments WHERE journey_id = ? AND node_id = 'opt-in' AND state = 'waiting'`,
      journey.id,
    );
    writeTransaction((db) => {
      for (const { customer_id } of waiting.filter((_, index) => index % 2 === 0)) {
        recordConsentEvent(db, {
          customerId: customer_id,
          purposeKey: 'newsletter',
          action: 'grant',
          source: 'form',
          evidence: { test: true },
        });
      }
    });
    // Runs at different hours of the day, so quiet hours (21:00–08:00 local) end somewhere in between.
    for (const offset of [0, 0.5, 1.3, 4.6, 12.4, 20.7]) runUntilIdle(start + offset * DAY + 1000);

    const states = query<{ state: string; n: number }>(
      'SELECT state, count(*) AS n FROM enrollments WHERE journey_id = ? GROUP BY state',
      journey.id,
    );
    expect(states.filter((row) => !['completed', 'cancelled'].includes(row.state))).toEqual([]);
    expect(query(`SELECT 1 FROM enrollments WHERE last_error IS NOT NULL`)).toEqual([]);
    const nodes = new Set(
      query<{ node_id: string }>(
        'SELECT DISTINCT node_id FROM step_events WHERE journey_id = ?',
        journey.id,
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
