import { describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { is } from 'drizzle-orm';
import { SQLiteTable, getTableConfig } from 'drizzle-orm/sqlite-core';
import * as schema from '@/db/schema';
import { migratePostgres } from '@/db/pg/migrate';
import journal from '@/db/migrations/pg/meta/_journal.json';
import {
  createScratchDatabase,
  dropScratchDatabase,
  skipWithoutPostgres,
  useScratchPostgres,
} from '@/tests/helpers/postgres';

const MIGRATION_COUNT = journal.entries.length;

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(skipWithoutPostgres('tests/pg/migrations.test.ts'))('PostgreSQL migrations', () => {
  const pg = useScratchPostgres();

  it('create exactly the tables the schema declares (db/schema), and applying them again changes nothing', async () => {
    const expected = Object.values(schema as Record<string, unknown>)
      .filter((value): value is SQLiteTable => is(value, SQLiteTable))
      .map((table) => getTableConfig(table).name)
      .sort();
    expect(expected.length).toBeGreaterThan(20);
    const tables = await withClient(pg.url(), async (client) => {
      const result = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      return result.rows.map((row) => row.table_name);
    });
    expect(tables).toEqual(expected);

    await migratePostgres(pg.url());
    await migratePostgres(pg.url());
    const applied = await withClient(pg.url(), async (client) => {
      const result = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM drizzle.__drizzle_migrations`,
      );
      return Number(result.rows[0].n);
    });
    expect(applied).toBe(MIGRATION_COUNT);
  });

  it('several processes migrating a fresh database at once all succeed (advisory lock)', async () => {
    const url = await createScratchDatabase();
    try {
      await Promise.all([migratePostgres(url), migratePostgres(url), migratePostgres(url)]);
      const applied = await withClient(url, async (client) => {
        const result = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM drizzle.__drizzle_migrations`,
        );
        return Number(result.rows[0].n);
      });
      expect(applied).toBe(MIGRATION_COUNT);
    } finally {
      await dropScratchDatabase(url);
    }
  });

  it('triggers keep customer_status_counts exact', async () => {
    await withClient(pg.url(), async (client) => {
      await client.query(
        `INSERT INTO customers (email, created_at) VALUES ('a@x.test', 1), ('b@x.test', 1), ('c@x.test', 1)`,
      );
      await client.query(`UPDATE customers SET status = 'erased', email = NULL WHERE email = 'a@x.test'`);
      await client.query(`UPDATE customers SET name = 'renamed' WHERE email = 'b@x.test'`);
      await client.query(`DELETE FROM customers WHERE email = 'c@x.test'`);
      // Counted per statement (migration 0017): several statuses in one INSERT and one DELETE.
      await client.query(
        `INSERT INTO customers (email, status, created_at) VALUES ('d@x.test', 'erased', 1), ('e@x.test', 'active', 1), ('f@x.test', 'active', 1)`,
      );
      await client.query(`DELETE FROM customers WHERE email IN ('d@x.test', 'e@x.test', 'f@x.test')`);
      const counts = await client.query(`SELECT status, count FROM customer_status_counts ORDER BY status`);
      expect(counts.rows).toEqual([
        { status: 'active', count: 1 },
        { status: 'erased', count: 1 },
      ]);
    });
  });

  it('writes to contact_blocks bump its change version', async () => {
    await withClient(pg.url(), async (client) => {
      const version = async () =>
        Number(
          (await client.query(`SELECT version FROM change_versions WHERE name = 'contact_blocks'`)).rows[0]
            .version,
        );
      const before = await version();
      await client.query(
        `INSERT INTO contact_blocks (address, scope, reason, evidence, set_at, set_by) VALUES ('x@y.test', 'address', 'complaint', 'mail', 1, 'staff')`,
      );
      expect(await version()).toBe(before + 1);
      await client.query(`UPDATE contact_blocks SET lifted_at = 2`);
      expect(await version()).toBe(before + 2);
    });
  });

  it('the consent ledger rejects UPDATE, DELETE and TRUNCATE', async () => {
    await withClient(pg.url(), async (client) => {
      const inserted = await client.query<{ id: number }>(
        `INSERT INTO consent_events (customer_id, purpose_id, action, state_after, source, evidence_digest, occurred_at, prev_hash, hash)
         VALUES (1, 1, 'grant', 'granted', 'form', 'digest', 1700000000000, 'genesis', 'h1') RETURNING id`,
      );
      const id = inserted.rows[0].id;
      await expect(
        client.query(`UPDATE consent_events SET hash = 'forged' WHERE id = $1`, [id]),
      ).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM consent_events WHERE id = $1`, [id])).rejects.toThrow(
        /append-only/,
      );
      await expect(client.query(`TRUNCATE consent_events`)).rejects.toThrow(/append-only/);
      const row = await client.query<{ hash: string }>(`SELECT hash FROM consent_events WHERE id = $1`, [id]);
      expect(row.rows[0].hash).toBe('h1');
    });
  });

  it('published journey versions are immutable while the draft row stays editable', async () => {
    await withClient(pg.url(), async (client) => {
      const journey = await client.query<{ id: number }>(
        `INSERT INTO journeys (name, created_at) VALUES ('Welcome', 1700000000000) RETURNING id`,
      );
      const journeyId = journey.rows[0].id;
      const versions = await client.query<{ id: number; is_draft: number }>(
        `INSERT INTO journey_versions (journey_id, is_draft, number, graph, created_at)
         VALUES ($1, 1, NULL, '{}'::jsonb, 1700000000000), ($1, 0, 1, '{}'::jsonb, 1700000000000)
         RETURNING id, is_draft`,
        [journeyId],
      );
      const draft = versions.rows.find((row) => row.is_draft === 1)!;
      const published = versions.rows.find((row) => row.is_draft === 0)!;
      await client.query(`UPDATE journey_versions SET revision = revision + 1 WHERE id = $1`, [draft.id]);
      await expect(
        client.query(`UPDATE journey_versions SET change_summary = 'edited' WHERE id = $1`, [published.id]),
      ).rejects.toThrow(/immutable/);
      // Only one draft per journey.
      await expect(
        client.query(
          `INSERT INTO journey_versions (journey_id, is_draft, graph, created_at) VALUES ($1, 1, '{}'::jsonb, 1)`,
          [journeyId],
        ),
      ).rejects.toThrow(/journey_versions_one_draft/);
    });
  });
});
