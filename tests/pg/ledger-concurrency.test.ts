import { describe, expect, it } from 'vitest';
import { openDatabase, sqlAll, writeTransaction } from '@/db/client';
import { listenConsentEvents } from '@/db/pg/notify';
import { insertFixtureCustomers, seedDemoPurposes } from '@/tests/fixtures/executor';
import { checkLedgerChain, recordConsentEvent } from '@/lib/privacy/ledger';
import { skipWithoutPostgres, usePostgresWorkspace } from '@/tests/helpers/postgres';

/**
 * The store's ledger append (lib/privacy/ledger.ts) on PostgreSQL under concurrent writers that do
 * NOT take the store-wide write lock (as the executor's batches): the chain must stay linear, the
 * counters exact, and every committed event NOTIFYed exactly once; a rolled-back one never.
 */
const CUSTOMERS = 40;

describe.skipIf(skipWithoutPostgres('tests/pg/ledger-concurrency.test.ts'))(
  'consent ledger append on PostgreSQL',
  () => {
    const workspace = usePostgresWorkspace('tarmo_ledger', async (url) => {
      await seedDemoPurposes();
      await writeTransaction(async (db) => await insertFixtureCustomers(db, CUSTOMERS), openDatabase(url));
    });

    it('unserialized concurrent appends keep one linear chain and notify each committed event', async () => {
      const url = workspace.url();
      const handle = openDatabase(url);
      const heard: number[] = [];
      const listener = listenConsentEvents(url, (id) => heard.push(id));
      await listener.ready;
      try {
        const append = (customerId: number, action: 'grant' | 'withdraw', fail = false) =>
          writeTransaction(
            async (db) => {
              const result = await recordConsentEvent(db, {
                customerId,
                purposeKey: 'newsletter',
                action,
                source: 'api',
                evidence: { test: 'concurrency', customerId },
              });
              // Hold the transaction open a little so appends really overlap.
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
              if (fail) throw new Error('rolled back on purpose');
              return result.eventId;
            },
            handle,
            { serialized: false },
          );
        const customers = Array.from({ length: CUSTOMERS }, (_, i) => i + 1);
        const grants = await Promise.all(customers.map((id) => append(id, 'grant')));
        const failed = await Promise.allSettled(
          customers.slice(0, 5).map((id) => append(id, 'withdraw', true)),
        );
        expect(failed.every((outcome) => outcome.status === 'rejected')).toBe(true);
        const withdrawals = await Promise.all(customers.slice(0, 10).map((id) => append(id, 'withdraw')));

        const chain = await checkLedgerChain(handle.db);
        expect(chain).toMatchObject({ ok: true, checked: CUSTOMERS + 10 });
        const links = await sqlAll<{ n: number }>(
          handle.db,
          'SELECT count(DISTINCT prev_hash) AS n FROM consent_events',
        );
        expect(links[0]!.n).toBe(CUSTOMERS + 10);
        const counters = await sqlAll<{ state: string; n: number }>(
          handle.db,
          `SELECT c.state AS state, c.count AS n FROM consent_counters c JOIN purposes p ON p.id = c.purpose_id
           WHERE p.key = 'newsletter' AND c.theme_key = '' AND c.count <> 0 ORDER BY c.state`,
        );
        expect(counters).toEqual([
          { state: 'granted', n: CUSTOMERS - 10 },
          { state: 'withdrawn', n: 10 },
        ]);

        const committed = [...grants, ...withdrawals].sort((a, b) => a - b);
        const deadline = Date.now() + 5_000;
        while (heard.length < committed.length && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 20));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect([...heard].sort((a, b) => a - b)).toEqual(committed);
      } finally {
        await listener.close();
      }
    }, 60_000);
  },
);
