import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { and, count, eq, getTableName, is, sql } from 'drizzle-orm';
import { drizzle as drizzleBetterSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateBetterSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { SQLiteTable, getTableConfig, type SQLiteTable as AnySQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from '@/db/schema';
import { closeDatabase, openDatabase, sqlAll, sqlGet, sqlRun, type Db, type DbHandle } from '@/db/client';
import { SQLITE_MIGRATIONS } from '@/db/migrate';
import { resetAppEnv } from '@/lib/config/env';
import { skipWithoutPostgres, useScratchPostgres } from '@/tests/helpers/postgres';

/**
 * The store speaks drizzle's SQLite dialect on both databases (db/client.ts). This suite runs the
 * same builder calls on a migrated scratch PostgreSQL database and on a migrated SQLite file, for
 * every table of db/schema, and requires identical results: what PostgreSQL accepts and returns
 * must be exactly what the SQLite mappers expect (Dates from millisecond bigints, booleans from
 * 0/1 smallints, JSON from jsonb text, explicit NULL ids filled from the identity sequence).
 */

const T = new Date('2026-03-14T09:26:53.589Z');
const LATER = new Date('2026-04-01T00:00:00.000Z');
const MS = 1_773_480_413_589; // a millisecond number above 2^32 (bigint on PostgreSQL)

type Row = Record<string, unknown>;
type Fixture = [table: AnySQLiteTable, values: Row];

/**
 * One realistic row per table, in foreign-key order. Each omits some columns (ids, defaults,
 * nullable ones) and sets some nullable ones to an explicit null.
 */
const fixtures: Fixture[] = [
  [
    schema.users,
    {
      email: 'ada@tarmo.test',
      name: 'Ada Lovelace',
      role: 'admin',
      passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
      disabled: true,
      createdAt: T,
      updatedAt: null,
      lastLoginAt: LATER,
    },
  ],
  [
    schema.apiKeys,
    {
      name: 'CRM sync',
      prefix: 'tk_live_ab12',
      keyHash: 'f'.repeat(64),
      scopes: ['read', 'write'],
      createdBy: 1,
      createdAt: T,
      expiresAt: LATER,
    },
  ],
  [
    schema.auditLog,
    {
      at: T,
      actorType: 'user',
      actorId: '1',
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: '1',
      details: { scopes: ['read', 'write'], nested: { n: 1.5, ok: true, none: null }, 'ä ö': 'ünïcødé ✓' },
    },
  ],
  [schema.rateLimits, { bucket: 'login:ada@tarmo.test', windowStart: MS, count: 3 }],
  [
    schema.idempotencyKeys,
    {
      apiKeyId: 1,
      key: 'req-7f3a',
      requestHash: 'abc123',
      status: 201,
      body: '{"id":1}',
      customerId: 1,
      createdAt: T,
    },
  ],
  [
    schema.customers,
    {
      externalId: 'crm-0001',
      email: 'maija@example.test',
      name: 'Maija Meikäläinen',
      locale: 'fi',
      attributes: { tier: 'gold', tags: ['vip', 'beta'], score: 42, optedIn: false },
      createdAt: T,
      updatedAt: LATER,
    },
  ],
  [
    schema.events,
    {
      customerId: 1,
      name: 'order.placed',
      properties: { orderId: 'A-17', total: 129.9, items: [{ sku: 'x', qty: 2 }] },
      occurredAt: T,
      receivedAt: LATER,
    },
  ],
  [schema.tombstones, { emailHash: 'e'.repeat(64), reason: 'erasure', createdAt: T }],
  [schema.customerStatusCounts, { status: 'restricted', count: 0 }],
  [schema.changeVersions, { name: 'dialect_roundtrip', version: 7 }],
  [
    schema.journeys,
    { name: 'Welcome series', status: 'live', liveVersionId: 1, createdBy: 1, createdAt: T, updatedBy: null },
  ],
  [
    schema.journeyVersions,
    {
      journeyId: 1,
      isDraft: false,
      number: 1,
      graph: { nodes: [{ id: 'entry', type: 'entry' }], edges: [] },
      changeSummary: 'First version',
      authorId: 1,
      createdAt: T,
    },
  ],
  [
    schema.enrollments,
    {
      journeyId: 1,
      versionId: 1,
      customerId: 1,
      nodeId: 'wait-consent',
      state: 'waiting',
      waitKey: 'consent:newsletter',
      runAt: MS,
      seq: 2,
      leaseOwner: null,
      leaseExpiresAt: null,
      context: { step: 2, answers: { q1: 'yes' } },
      testMode: true,
      enteredAt: T,
      updatedAt: LATER,
    },
  ],
  [
    schema.stepEvents,
    {
      enrollmentId: 1,
      seq: 1,
      journeyId: 1,
      versionId: 1,
      customerId: 1,
      nodeId: 'entry',
      stepType: 'entry',
      outcome: 'next',
      reason: 'Entered: consent granted for newsletter',
      context: null,
      at: T,
    },
  ],
  [
    schema.journeyRollouts,
    {
      journeyId: 1,
      versionId: 1,
      moveRunning: true,
      phase: 'enroll',
      afterId: 1000,
      leaseOwner: 'rollout-1234-abcd',
      leaseExpiresAt: MS,
      startedAt: MS,
    },
  ],
  [schema.journeyNodeStats, { journeyId: 1, nodeId: 'entry', handle: 'next', count: 12 }],
  [
    schema.testRuns,
    {
      journeyId: 1,
      createdBy: 1,
      createdAt: T,
      trace: [{ node: 'entry', outcome: 'next' }, 'done', 3],
      simulated: false,
    },
  ],
  [
    schema.messageTemplates,
    {
      name: 'Welcome',
      content: {
        fallbackLanguage: 'en',
        variants: { en: { subject: 'Hi', mode: 'mjml', mjml: '<mjml />' } },
      },
      version: 3,
      createdBy: 1,
      updatedBy: null,
      createdAt: T,
      updatedAt: LATER,
    },
  ],
  [
    schema.workspaceSettings,
    { key: 'message.layout', value: { brandColor: '#2952cc', footerText: 'ä' }, updatedBy: 1, updatedAt: T },
  ],
  [
    schema.webhooks,
    {
      name: 'CRM',
      url: 'https://crm.example.test/hooks/tarmo',
      events: ['consent.changed', 'customer.erased'],
      secret: 'whsec_0123456789',
      recipientKey: 'crm',
      createdAt: T,
      createdBy: 1,
    },
  ],
  [
    schema.outbox,
    {
      kind: 'email',
      idempotencyKey: 'journey:1:1:send',
      customerId: 1,
      purposeId: 1,
      themeKey: null,
      enrollmentId: 1,
      toAddress: 'maija@example.test',
      subject: 'Tervetuloa!',
      bodyText: 'Hei Maija',
      bodyHtml: '<p>Hei Maija</p>',
      headers: { 'List-Unsubscribe': '<https://tarmo.test/u/abc>' },
      payload: null,
      nextAttemptAt: MS,
      createdAt: T,
    },
  ],
  [
    schema.deliveryPolicies,
    {
      channel: 'email',
      capMax: 3,
      capDays: null,
      quietStart: '21:00',
      quietEnd: '08:00',
      exemptTransactional: false,
      updatedAt: T,
    },
  ],
  [
    schema.providerRateLimits,
    { provider: 'smtp.example.test', perSecond: 50, perHour: null, updatedAt: LATER },
  ],
  [schema.sendSlots, { provider: 'smtp.example.test', grantedAt: MS, endedAt: MS, inFlight: false }],
  [
    schema.deliverabilityNotifications,
    {
      provider: 'ses',
      kind: 'complaint',
      customerId: 1,
      outboxId: 1,
      purposeId: null,
      address: 'maija@example.test',
      raw: '{"notificationType":"Complaint"}',
      blockId: null,
      receivedAt: MS,
    },
  ],
  [
    schema.importJobs,
    {
      status: 'done',
      dryRun: true,
      fileName: 'customers.csv',
      mapping: { Email: 'email', Nimi: 'name' },
      totalRows: 100,
      processedRows: 100,
      importedRows: 97,
      skippedRows: 2,
      failedRows: 1,
      errorReport: 'row 17: invalid email',
      createdBy: 1,
      createdAt: T,
      finishedAt: LATER,
    },
  ],
  [schema.workerHeartbeats, { workerId: 'worker-1', at: LATER, startedAt: T, paused: true }],
  [
    schema.purposes,
    {
      key: 'newsletter',
      name: 'Newsletter',
      description: 'Monthly news',
      legalBasis: 'consent',
      retentionDays: 730,
      recipients: [{ key: 'crm', name: 'CRM Oy', description: 'Mailing service' }],
      translations: { de: { name: 'Newsletter', description: 'Monatliche Neuigkeiten' } },
      clickTracking: true,
      createdAt: T,
    },
  ],
  [schema.themes, { purposeId: 1, key: 'offers', name: 'Offers' }],
  [
    schema.notices,
    {
      purposeId: 1,
      version: 1,
      locale: 'fi',
      text: 'Lähetämme uutiskirjeen kerran kuussa.',
      textHash: 'n'.repeat(64),
      requiresReconsent: true,
      createdBy: 1,
      createdAt: T,
    },
  ],
  [
    schema.consentEvents,
    {
      customerId: 1,
      purposeId: 1,
      action: 'grant',
      stateAfter: 'granted',
      source: 'form',
      noticeHash: 'n'.repeat(64),
      evidenceDigest: 'd'.repeat(64),
      occurredAt: T,
      prevHash: 'genesis',
      hash: 'h'.repeat(64),
    },
  ],
  [
    schema.consentEvidence,
    { eventId: 1, details: { ip: '192.0.2.0', userAgent: 'Mozilla/5.0', form: 'footer' }, redactedAt: null },
  ],
  [
    schema.consentState,
    { customerId: 1, purposeId: 1, state: 'granted', lastEventId: 1, noticeHash: null, updatedAt: T },
  ],
  [schema.consentCounters, { purposeId: 1, themeKey: 'offers', state: 'granted', count: 5 }],
  [
    schema.consentReceipts,
    { receiptId: 'r'.repeat(43), customerId: 1, eventId: 1, kid: 'k1', token: 'a.b.c', createdAt: T },
  ],
  [
    schema.contactBlocks,
    {
      customerId: 1,
      address: null,
      scope: 'channel',
      channel: 'email',
      reason: 'complaint',
      evidence: 'Ticket #42',
      setAt: T,
      setBy: 'user:1',
    },
  ],
  [
    schema.tokens,
    {
      kind: 'preferences',
      tokenHash: 't'.repeat(64),
      customerId: 1,
      purposeId: null,
      payload: { purposes: [1, 2] },
      createdAt: T,
      expiresAt: LATER,
    },
  ],
  [
    schema.privacyRequests,
    {
      customerId: 1,
      kind: 'access',
      status: 'open',
      source: 'preference-center',
      details: { note: 'Please send everything' },
      receivedAt: T,
      dueAt: LATER,
      receipt: null,
    },
  ],
  [
    schema.exports,
    { customerId: 1, requestId: 1, fileName: 'export-9f8e7d.zip', createdAt: T, expiresAt: LATER },
  ],
  [
    schema.ledgerChecks,
    { at: T, ok: false, checkedCount: 1, firstBrokenEventId: 1, message: 'event 1 hash mismatch' },
  ],
  [
    schema.ledgerCheckpoints,
    { eventCount: 1, headEventId: 1, headHash: 'a'.repeat(64), at: T, signature: 'b'.repeat(64) },
  ],
  [
    schema.lifecycleJobRuns,
    {
      job: 'prune-rate-limits',
      lastRunAt: T,
      lastDurationMs: 12,
      lastPruned: 3,
      totalPruned: 40,
      lastError: null,
      nextRunAt: LATER,
    },
  ],
];

const allTables = (Object.values(schema) as unknown[]).filter((value): value is AnySQLiteTable =>
  is(value, SQLiteTable),
);
const pick = (row: Row, keys: string[]) => Object.fromEntries(keys.map((key) => [key, row[key]]));

/** The database's own message (drizzle wraps it in "Failed query: …" with the error as cause). */
async function failure(promise: PromiseLike<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  }
  return 'no error';
}

describe.skipIf(skipWithoutPostgres('tests/pg/dialect-roundtrip.test.ts'))(
  'drizzle SQLite dialect on PostgreSQL: same results as on SQLite',
  () => {
    const pg = useScratchPostgres();
    let dir = '';
    let previousUrl: string | undefined;
    let onPg: DbHandle;
    let onSqlite: DbHandle;
    const both = () =>
      [
        ['postgres', onPg.db],
        ['sqlite', onSqlite.db],
      ] as const;

    beforeAll(() => {
      previousUrl = process.env.DATABASE_URL;
      process.env.DATABASE_URL = pg.url();
      resetAppEnv();
      onPg = openDatabase(pg.url());
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-roundtrip-'));
      const file = path.join(dir, 'tarmo.db');
      const migrating = new Database(file);
      migrateBetterSqlite(drizzleBetterSqlite(migrating), { migrationsFolder: SQLITE_MIGRATIONS });
      migrating.close();
      onSqlite = openDatabase(`file:${file}`);
    });
    afterAll(async () => {
      if (onSqlite) await closeDatabase(onSqlite.url);
      if (onPg) await closeDatabase(onPg.url);
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      if (previousUrl === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previousUrl;
      resetAppEnv();
    });

    async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
      const client = new Client({ connectionString: pg.url() });
      await client.connect();
      try {
        return await fn(client);
      } finally {
        await client.end();
      }
    }

    it('an explicit NULL id takes the identity sequence’s next value (the fill_null_id trigger)', async () => {
      await withClient(async (client) => {
        await client.query(
          'CREATE TEMP TABLE null_id_probe (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, v text)',
        );
        await client.query(
          `CREATE TRIGGER null_id_probe_fill_null_id BEFORE INSERT ON null_id_probe
           FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id()`,
        );
        const ids = async (text: string) =>
          (await client.query<{ id: number }>(text)).rows.map((row) => row.id);
        expect(await ids(`INSERT INTO null_id_probe (id, v) VALUES (null, 'a') RETURNING id`)).toEqual([1]);
        expect(
          await ids(`INSERT INTO null_id_probe (id, v) VALUES (null, 'b'), (null, 'c') RETURNING id`),
        ).toEqual([2, 3]);
        // An explicit id is kept; omitting the column still uses the identity default.
        expect(await ids(`INSERT INTO null_id_probe (id, v) VALUES (10, 'd') RETURNING id`)).toEqual([10]);
        expect(await ids(`INSERT INTO null_id_probe (v) VALUES ('e') RETURNING id`)).toEqual([4]);
        await client.query('DROP TABLE null_id_probe');
        // Without the trigger PostgreSQL refuses the NULL: the trigger is what makes drizzle-sqlite inserts work.
        await client.query(
          'CREATE TEMP TABLE null_id_bare (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY)',
        );
        expect(await failure(client.query('INSERT INTO null_id_bare (id) VALUES (null)'))).toMatch(
          /not-null/,
        );
        await client.query('DROP TABLE null_id_bare');
      });
    });

    it('every identity id column has the fill_null_id trigger', async () => {
      const rows = await withClient(
        async (client) =>
          (
            await client.query<{ table_name: string; has_trigger: boolean }>(
              `SELECT c.table_name,
                    EXISTS (SELECT 1 FROM pg_trigger t
                            WHERE t.tgrelid = format('%I.%I', c.table_schema, c.table_name)::regclass
                              AND t.tgfoid = 'fill_null_id'::regproc AND NOT t.tgisinternal) AS has_trigger
             FROM information_schema.columns c
             WHERE c.table_schema = 'public' AND c.column_name = 'id' AND c.is_identity = 'YES'
             ORDER BY 1`,
            )
          ).rows,
      );
      expect(rows.length).toBeGreaterThan(20);
      expect(rows.filter((row) => !row.has_trigger).map((row) => row.table_name)).toEqual([]);
    });

    it('no NOT NULL column relies on a PostgreSQL-only default (drizzle-sqlite sends NULL for omitted columns)', async () => {
      const columns = await withClient(
        async (client) =>
          (
            await client.query<{ table_name: string; column_name: string; column_default: string | null }>(
              `SELECT table_name, column_name, column_default FROM information_schema.columns
             WHERE table_schema = 'public' AND is_nullable = 'NO' AND (column_default IS NOT NULL OR is_identity = 'YES')`,
            )
          ).rows,
      );
      const sqliteColumns = new Map(
        allTables.flatMap((table) => {
          const config = getTableConfig(table);
          return config.columns.map((column): [string, (typeof config.columns)[number]] => [
            `${config.name}.${column.name}`,
            column,
          ]);
        }),
      );
      const unfilled = columns
        .map((column) => `${column.table_name}.${column.column_name}`)
        .filter((name) => {
          const column = sqliteColumns.get(name);
          if (!column) return true; // a column only PostgreSQL has (schema-parity catches this too)
          if (column.name === 'id' && column.primary) return false; // fill_null_id (checked above)
          return (
            column.default === undefined && column.defaultFn === undefined && column.onUpdateFn === undefined
          );
        })
        .sort();
      expect(unfilled).toEqual([]);
    });

    it('every table round-trips a row through insert … returning and select', async () => {
      // A new table in db/schema needs a fixture here.
      expect(fixtures.map(([table]) => getTableName(table)).sort()).toEqual(
        allTables.map((table) => getTableName(table)).sort(),
      );
      for (const [table, values] of fixtures) {
        const name = getTableName(table);
        const results: Record<string, { inserted: Row; selected: Row[] }> = {};
        for (const [dialect, db] of both()) {
          const inserted = (await db.insert(table).values(values).returning()) as Row[];
          expect([name, dialect, inserted.length]).toEqual([name, dialect, 1]);
          // The values written come back unchanged (Dates, booleans, JSON, nulls, numbers).
          expect([name, dialect, pick(inserted[0], Object.keys(values))]).toEqual([name, dialect, values]);
          const selected = (await db.select().from(table)) as Row[];
          results[dialect] = { inserted: inserted[0], selected };
        }
        // …and everything else (ids, defaults, omitted nullable columns) as SQLite gives it.
        expect([name, results.postgres.inserted]).toEqual([name, results.sqlite.inserted]);
        expect([name, results.postgres.selected]).toEqual([name, results.sqlite.selected]);
        expect(results.postgres.selected).toContainEqual(results.postgres.inserted);
      }
    });

    it('upserts, updates, deletes, aggregates and sql fragments give the same results', async () => {
      const outcome = async (db: Db) => {
        const out: Record<string, unknown> = {};
        // onConflictDoUpdate: a counter upsert, as the consent ledger does it.
        const bump = (delta: number) =>
          db
            .insert(schema.consentCounters)
            .values({ purposeId: 1, themeKey: '', state: 'withdrawn', count: delta })
            .onConflictDoUpdate({
              target: [
                schema.consentCounters.purposeId,
                schema.consentCounters.themeKey,
                schema.consentCounters.state,
              ],
              set: { count: sql`${schema.consentCounters.count} + excluded.count` },
            })
            .returning();
        out.firstUpsert = await bump(2);
        out.secondUpsert = await bump(3);
        out.ignored = await db
          .insert(schema.tombstones)
          .values({ emailHash: 'e'.repeat(64), reason: 'again', createdAt: T })
          .onConflictDoNothing()
          .returning();

        // update … returning, filtering on a boolean and a Date.
        out.updated = await db
          .update(schema.enrollments)
          .set({ state: 'active', testMode: false, runAt: MS + 1, context: { woken: true }, endedAt: null })
          .where(and(eq(schema.enrollments.testMode, true), eq(schema.enrollments.enteredAt, T)))
          .returning({
            id: schema.enrollments.id,
            testMode: schema.enrollments.testMode,
            context: schema.enrollments.context,
            runAt: schema.enrollments.runAt,
          });
        out.updateChanges = (
          await db
            .update(schema.users)
            .set({ disabled: false, updatedAt: LATER })
            .where(eq(schema.users.id, 1))
            .run()
        ).changes;

        // A second row with an omitted id and createdAt ($defaultFn), then delete … returning.
        const [extra] = await db.insert(schema.customers).values({ email: 'temp@example.test' }).returning({
          id: schema.customers.id,
          createdAt: schema.customers.createdAt,
          attributes: schema.customers.attributes,
        });
        expect(extra.createdAt).toBeInstanceOf(Date);
        expect(Math.abs(extra.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
        out.extra = { id: extra.id, attributes: extra.attributes };
        out.deleted = await db
          .delete(schema.customers)
          .where(eq(schema.customers.email, 'temp@example.test'))
          .returning({ id: schema.customers.id, email: schema.customers.email });

        // count() and sql fragments in select, where and order by.
        out.count = await db.select({ n: count() }).from(schema.customers);
        out.countWhere = await db
          .select({ n: count() })
          .from(schema.enrollments)
          .where(sql`${schema.enrollments.testMode} = 0`);
        out.fragments = await db
          .select({
            upper: sql<string>`upper(${schema.customers.email})`,
            tier: sql<string>`${schema.customers.externalId} || '-x'`,
            days: sql<number>`(${schema.customers.updatedAt} - ${schema.customers.createdAt}) / 86400000`.mapWith(
              Number,
            ),
          })
          .from(schema.customers)
          .where(sql`${schema.customers.createdAt} < ${LATER.getTime()}`)
          .orderBy(sql`${schema.customers.id} desc`);
        out.joined = await db
          .select({ event: schema.consentEvents, evidence: schema.consentEvidence, theme: schema.themes })
          .from(schema.consentEvents)
          .leftJoin(schema.consentEvidence, eq(schema.consentEvidence.eventId, schema.consentEvents.id))
          .leftJoin(schema.themes, eq(schema.themes.key, schema.consentEvents.themeKey));
        out.get = await db.select().from(schema.users).where(eq(schema.users.id, 1)).get();
        out.getMissing = await db.select().from(schema.users).where(eq(schema.users.id, 999)).get();

        // Raw SQL: booleans are 0/1 and timestamps numbers on both.
        out.raw = await sqlAll<Row>(
          db,
          'SELECT id, test_mode, run_at, entered_at FROM enrollments WHERE test_mode = 0 AND state = @state',
          { state: 'active' },
        );
        const rawContext = await sqlGet<{ context: string }>(
          db,
          'SELECT context FROM enrollments WHERE id = ?',
          [1],
        );
        out.rawContext = JSON.parse(rawContext!.context);
        out.rawRun = (await sqlRun(db, 'UPDATE webhooks SET active = 0 WHERE active = 1')).changes;

        // The partial unique index (one draft per journey) and the published-version guard.
        await db
          .insert(schema.journeyVersions)
          .values({ journeyId: 1, isDraft: true, graph: {}, createdAt: T });
        expect(
          await failure(
            db
              .insert(schema.journeyVersions)
              .values({ journeyId: 1, isDraft: true, graph: {}, createdAt: T }),
          ),
        ).toMatch(/unique/i);
        out.draftEdit = (
          await db
            .update(schema.journeyVersions)
            .set({ revision: 2 })
            .where(eq(schema.journeyVersions.isDraft, true))
            .run()
        ).changes;
        expect(
          await failure(
            db
              .update(schema.journeyVersions)
              .set({ changeSummary: 'edited' })
              .where(eq(schema.journeyVersions.number, 1)),
          ),
        ).toMatch(/immutable/);
        return out;
      };
      const pgOutcome = await outcome(onPg.db);
      const sqliteOutcome = await outcome(onSqlite.db);
      expect(pgOutcome).toEqual(sqliteOutcome);
      // Spot checks, so the comparison cannot pass by both being wrong the same way.
      expect(pgOutcome.secondUpsert).toEqual([{ purposeId: 1, themeKey: '', state: 'withdrawn', count: 5 }]);
      expect(pgOutcome.updated).toEqual([
        { id: 1, testMode: false, context: { woken: true }, runAt: MS + 1 },
      ]);
      expect(pgOutcome.count).toEqual([{ n: 1 }]);
      expect(pgOutcome.raw).toEqual([{ id: 1, test_mode: 0, run_at: MS + 1, entered_at: T.getTime() }]);
      expect(pgOutcome.getMissing).toBeUndefined();
      expect(pgOutcome.joined).toMatchObject([
        {
          event: { id: 1, occurredAt: T },
          evidence: { eventId: 1, details: { form: 'footer' } },
          theme: null,
        },
      ]);
      expect(pgOutcome.draftEdit).toBe(1);
    });
  },
);
