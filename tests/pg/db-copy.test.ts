import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { checkLedgerChain, recordConsent, recordConsentEvent, verifyLedger } from '@/lib/privacy/ledger';
import { openDatabase, readTransaction, writeTransaction } from '@/db/client';
import { findEnrollmentIn } from '@/db/store/enrollment-records';
import { useTempDatabase } from '../helpers/db';
import { skipWithoutPostgres, useScratchPostgres } from '@/tests/helpers/postgres';

const run = promisify(execFile);

describe.skipIf(skipWithoutPostgres('tests/pg/db-copy.test.ts'))(
  'npm run db:copy: SQLite workspace → PostgreSQL',
  () => {
    const sqlite = useTempDatabase({ store: 'sqlite' });
    const pg = useScratchPostgres({ migrate: false });

    it('copies every table, resets sequences, and the ledger written on SQLite verifies on the copy', async () => {
      const db = sqlite.sqlite();
      const now = Date.now();
      db.prepare(
        `INSERT INTO users (email, role, password_hash, disabled, created_at) VALUES ('a@tarmo.test', 'admin', 'x', 1, ?)`,
      ).run(now);
      db.prepare(
        `INSERT INTO purposes (key, name, legal_basis, retention_days, recipients, created_at) VALUES ('newsletter', 'News', 'consent', 365, ?, ?)`,
      ).run(JSON.stringify([{ key: 'crm', name: 'CRM Oy' }]), now);
      db.prepare(
        `INSERT INTO notices (purpose_id, version, text, text_hash, created_at) VALUES (1, 1, 'We send news', 'nh1', ?)`,
      ).run(now);
      const insertCustomer = db.prepare(
        `INSERT INTO customers (email, attributes, created_at) VALUES (?, ?, ?)`,
      );
      for (let i = 1; i <= 30; i++)
        insertCustomer.run(`c${i}@example.test`, JSON.stringify({ tier: i % 3, tags: ['a', 'b'] }), now);
      db.prepare(`UPDATE customers SET status = 'erased', email = NULL WHERE id = 30`).run();
      db.prepare(`INSERT INTO journeys (name, status, created_at) VALUES ('Welcome', 'live', ?)`).run(now);
      db.prepare(
        `INSERT INTO journey_versions (journey_id, is_draft, number, graph, created_at) VALUES (1, 0, 1, '{"nodes":[],"edges":[]}', ?)`,
      ).run(now);
      db.prepare(
        `INSERT INTO journey_versions (journey_id, is_draft, graph, created_at) VALUES (1, 1, '{"nodes":[1]}', ?)`,
      ).run(now);
      db.prepare(
        `INSERT INTO enrollments (journey_id, version_id, customer_id, node_id, state, wait_key, run_at, context, test_mode, entered_at, updated_at)
       VALUES (1, 1, 30, 'gate', 'waiting', 'consent:newsletter', ?, '{"k":1}', 1, ?, ?)`,
      ).run(now + 86_400_000, now, now);
      db.prepare(
        `INSERT INTO step_events (enrollment_id, seq, journey_id, version_id, customer_id, node_id, step_type, outcome, reason, at)
       VALUES (1, 1, 1, 1, 30, 'entry', 'entry', 'next', 'entered', ?)`,
      ).run(now);
      db.prepare(
        `INSERT INTO webhooks (name, url, events, secret, active, created_at) VALUES ('crm', 'http://127.0.0.1:9/hook', '["consent.changed"]', 's', 1, ?)`,
      ).run(now);
      // 60 ledger events through the real SQLite ledger (with its webhook outbox rows).
      for (let i = 0; i < 60; i++) {
        await recordConsent({
          customerId: (i % 29) + 1,
          purposeKey: 'newsletter',
          action: i % 4 === 3 ? 'withdraw' : 'grant',
          source: 'form',
          evidence: { ip: '192.0.2.0', i },
        });
      }
      expect((await verifyLedger(sqlite.handle())).ok).toBe(true);
      const sourceCounts = (table: string) =>
        (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

      const cli = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          path.resolve('scripts/db-copy.ts'),
          '--from',
          process.env.DATABASE_URL!,
          '--to',
          pg.url(),
          '--batch',
          '7',
        ],
        { env: { ...process.env, TARMO_DATA_DIR: sqlite.dir() } },
      );
      expect(cli.stdout).toMatch(/ledger verified on the copy: 60 events verified/);

      // The copy, read and written through the store (the same code the app runs on it).
      const copy = openDatabase(pg.url());
      const pool = copy.pool!;
      for (const table of [
        'users',
        'customers',
        'consent_events',
        'consent_evidence',
        'consent_state',
        'outbox',
        'enrollments',
        'step_events',
        'journey_versions',
      ]) {
        const copied = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
        expect([table, Number(copied.rows[0].n)]).toEqual([table, sourceCounts(table)]);
      }
      // The copied checks plus the one db:copy recorded after verifying.
      const checks = await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_checks');
      expect(Number(checks.rows[0].n)).toBe(sourceCounts('ledger_checks') + 1);
      const counts = await pool.query('SELECT status, count FROM customer_status_counts ORDER BY status');
      expect(counts.rows).toEqual([
        { status: 'active', count: 29 },
        { status: 'erased', count: 1 },
      ]);
      // Types survived: booleans, jsonb, millisecond timestamps.
      const user = await pool.query('SELECT disabled, created_at FROM users');
      expect(user.rows).toEqual([{ disabled: 1, created_at: now }]);
      const customer = await pool.query(`SELECT attributes->'tags' AS tags FROM customers WHERE id = 4`);
      expect(JSON.parse(customer.rows[0].tags)).toEqual(['a', 'b']);
      expect(await findEnrollmentIn(copy.db, 1)).toMatchObject({
        state: 'waiting',
        testMode: true,
        context: { k: 1 },
        runAt: now + 86_400_000,
      });

      // Sequences continue after the copied ids, and the chain continues on PostgreSQL.
      const next = await pool.query<{ id: number }>(
        `INSERT INTO customers (email, created_at) VALUES ('new@example.test', $1) RETURNING id`,
        [now],
      );
      expect(next.rows[0].id).toBe(31);
      const appended = await writeTransaction(
        async (db) =>
          await recordConsentEvent(db, {
            customerId: 31,
            purposeKey: 'newsletter',
            action: 'grant',
            source: 'api',
            evidence: {},
          }),
        copy,
      );
      expect(appended.eventId).toBe(61);
      expect(await readTransaction((db) => checkLedgerChain(db), copy)).toMatchObject({
        ok: true,
        checked: 61,
      });

      // A second copy into the now non-empty database is refused.
      await expect(
        run(
          process.execPath,
          [
            '--import',
            'tsx',
            path.resolve('scripts/db-copy.ts'),
            '--from',
            process.env.DATABASE_URL!,
            '--to',
            pg.url(),
          ],
          {
            env: { ...process.env, TARMO_DATA_DIR: sqlite.dir() },
          },
        ),
      ).rejects.toMatchObject({ stderr: expect.stringMatching(/not empty/) });
    });
  },
);
