import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openDatabase, sqlAll, writeTransaction } from '@/db/client';
import { listenConsentEvents } from '@/db/pg/notify';
import { recordConsentEvent, type ConsentEventInput } from '@/lib/privacy/ledger';
import { recordNewCustomerGrants } from '@/lib/privacy/new-customer-grants';
import { seedConsentWorld, useTempDataDir } from './ledger-fixtures';
import { skipWithoutPostgres, useScratchPostgres } from '@/tests/helpers/postgres';

const run = promisify(execFile);

/** One append through the store's ledger, in its own write transaction on the PostgreSQL handle. */
const record = (url: string, input: ConsentEventInput) =>
  writeTransaction(async (db) => await recordConsentEvent(db, input), openDatabase(url));

/** Resolves with the ids received once `count` have arrived (or rejects after timeoutMs). */
function collect(ids: number[], count: number, timeoutMs = 10_000): Promise<number[]> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (ids.length >= count) return resolve([...ids]);
      if (Date.now() - started > timeoutMs)
        return reject(new Error(`received ${ids.length} of ${count} notifications`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

describe.skipIf(skipWithoutPostgres('tests/pg/notify.test.ts'))(
  'live consent events across connections and processes',
  () => {
    const pg = useScratchPostgres();
    const data = useTempDataDir();

    it('a listener sees events committed by another connection, never rolled-back ones', async () => {
      const { customerIds } = await seedConsentWorld(openDatabase(pg.url()).db, 2);
      const received: number[] = [];
      const listener = listenConsentEvents(pg.url(), (id) => received.push(id));
      try {
        await listener.ready;
        const rolledBack = writeTransaction(async (db) => {
          await recordConsentEvent(db, {
            customerId: customerIds[0],
            purposeKey: 'newsletter',
            action: 'grant',
            source: 'api',
            evidence: {},
          });
          throw new Error('abort after append');
        }, openDatabase(pg.url()));
        await expect(rolledBack).rejects.toThrow('abort after append');
        const committed = await record(pg.url(), {
          customerId: customerIds[1],
          purposeKey: 'newsletter',
          action: 'grant',
          source: 'api',
          evidence: {},
        });
        expect(await collect(received, 1)).toEqual([committed.eventId]);
        // Give a stray notification of the rolled-back append time to (wrongly) arrive.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(received).toEqual([committed.eventId]);
      } finally {
        await listener.close();
      }
    });

    it("a batch of new customers' grants notifies once, with its newest event id", async () => {
      const { purposeId, customerIds } = await seedConsentWorld(openDatabase(pg.url()).db, 3, 'batch');
      const received: number[] = [];
      const listener = listenConsentEvents(pg.url(), (id) => received.push(id));
      try {
        await listener.ready;
        const result = await writeTransaction(
          async (db) =>
            await recordNewCustomerGrants(db, {
              purposeId,
              source: 'import',
              grants: customerIds.map((customerId) => ({ customerId, evidence: { row: customerId } })),
            }),
          openDatabase(pg.url()),
        );
        const newest = result.ok ? Math.max(...result.events.map((event) => event.eventId)) : -1;
        expect(await collect(received, 1)).toEqual([newest]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(received).toEqual([newest]);
      } finally {
        await listener.close();
      }
    });

    it('an event written by another process reaches this process', async () => {
      const { db } = openDatabase(pg.url());
      const { customerIds } = await seedConsentWorld(db, 1, 'sms');
      const received: number[] = [];
      const listener = listenConsentEvents(pg.url(), (id) => received.push(id));
      try {
        await listener.ready;
        const child = await run(
          process.execPath,
          [
            '--import',
            'tsx',
            path.resolve('tests/pg/append-consent.ts'),
            pg.url(),
            String(customerIds[0]),
            'sms',
          ],
          { env: { ...process.env, TARMO_DATA_DIR: data.dir() } },
        );
        const { eventId } = JSON.parse(child.stdout.trim()) as { eventId: number };
        expect(await collect(received, 1)).toEqual([eventId]);
        const state = await sqlAll(
          db,
          'SELECT state, last_event_id FROM consent_state WHERE customer_id = ?',
          [customerIds[0]],
        );
        expect(state).toEqual([{ state: 'granted', last_event_id: eventId }]);
      } finally {
        await listener.close();
      }
    });
  },
);
