import fs from 'node:fs';
import path from 'node:path';
import { is } from 'drizzle-orm';
import { getTableName } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as schema from '@/db/schema';
import { writeTransaction } from '@/db/client';
import { createImportJob, finishImportJob, startImportRun } from '@/db/store/imports';
import { hitRateLimit } from '@/db/store/rate-limits';
import { insertFixtureCustomers, seedDemoPurposes } from '@/tests/fixtures/executor';
import { importFilePath } from '@/lib/import/run';
import { useTempDatabase } from '@/tests/helpers/db';
import { createExport } from '@/lib/privacy/exports';
import { recordConsent } from '@/lib/privacy/ledger';
import { LIFECYCLE_JOBS } from './jobs';
import { FILE_AREAS, TABLE_LIFECYCLE } from './registry';
import { runDueLifecycleJobs } from './scheduler';

const db = useTempDatabase();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const schemaTables = Object.values(schema)
  .filter((value) => is(value, SQLiteTable))
  .map((table) => getTableName(table as SQLiteTable))
  .sort();

let customerId = 0;
beforeAll(async () => {
  await seedDemoPurposes();
  customerId = (
    await writeTransaction(async (tx) => await insertFixtureCustomers(tx, 1, { emailDomain: 'life.test' }))
  ).firstId;
});

describe('data-lifecycle registry', () => {
  it('has an entry for every table of the schema, and none for a table that does not exist', () => {
    expect(schemaTables.length).toBeGreaterThan(30);
    expect(schemaTables.filter((table) => !TABLE_LIFECYCLE[table])).toEqual([]);
    expect(Object.keys(TABLE_LIFECYCLE).filter((table) => !schemaTables.includes(table))).toEqual([]);
    for (const entry of [...Object.values(TABLE_LIFECYCLE), ...Object.values(FILE_AREAS)]) {
      expect(entry.personalData && entry.retention && entry.erasure).toBeTruthy();
    }
  });

  it('names only jobs that exist, and every job enforces some entry', () => {
    const keys = LIFECYCLE_JOBS.map((job) => job.key);
    const named = [...Object.values(TABLE_LIFECYCLE), ...Object.values(FILE_AREAS)].flatMap(
      (e) => e.jobs ?? [],
    );
    expect(named.filter((key) => !keys.includes(key))).toEqual([]);
    expect(keys.filter((key) => !named.includes(key))).toEqual([]);
  });

  it('covers every file area the app writes into the data directory', async () => {
    await writeTransaction(async (tx) => await createExport(tx, customerId));
    const job = await createImportJob({ fileName: 'people.csv', createdBy: null });
    fs.mkdirSync(path.dirname(importFilePath(job.id)), { recursive: true });
    fs.writeFileSync(importFilePath(job.id), 'email\nsomeone@life.test\n');
    await recordConsent({
      customerId,
      purposeKey: 'newsletter',
      action: 'grant',
      source: 'api',
      evidence: {},
    });
    await hitRateLimit('subscribe:ip:203.0.113.9', 10, 60_000);
    const entries = fs.readdirSync(db.dir()).filter((name) => !name.startsWith('.'));
    expect(entries).toEqual(expect.arrayContaining(['exports', 'imports', 'secrets']));
    const uncovered = entries.filter(
      (name) => !Object.values(FILE_AREAS).some((area) => area.matches.test(name)),
    );
    expect(uncovered).toEqual([]);
  });
});

describe('prune jobs', () => {
  it('remove what is past its retention, record their runs, and run again only when due', async () => {
    const now = Date.now();
    // Rate-limit windows: the name is a keyed hash, never the IP; ended windows go.
    await hitRateLimit('subscribe:ip:198.51.100.7', 10, 60_000, now - 2 * HOUR);
    await hitRateLimit('subscribe:ip:198.51.100.7', 10, 60_000, now);
    const buckets = await db.all<{ bucket: string }>('SELECT bucket FROM rate_limits');
    expect(buckets.some((b) => b.bucket.includes('198.51.100.7'))).toBe(false);
    expect(buckets.every((b) => /^[a-z-]+:[A-Za-z0-9_-]{32}$/.test(b.bucket))).toBe(true);

    await db.run(
      "INSERT INTO idempotency_keys (api_key_id, key, request_hash, status, body, customer_id, created_at) VALUES (1, 'old', 'h', 200, '{\"email\":\"x@life.test\"}', ?, ?), (1, 'new', 'h', 200, '{}', NULL, ?)",
      customerId,
      now - 2 * DAY,
      now,
    );
    await db.run(
      "INSERT INTO tokens (kind, token_hash, customer_id, payload, created_at, expires_at) VALUES ('unsubscribe', 'old-token', ?, '{}', ?, ?), ('unsubscribe', 'live-token', ?, '{}', ?, ?)",
      customerId,
      now - 20 * DAY,
      now - 10 * DAY,
      customerId,
      now,
      now + DAY,
    );
    await db.run(
      `INSERT INTO outbox (kind, idempotency_key, category, customer_id, to_address, subject, body_text, status, attempts, next_attempt_at, created_at)
       VALUES ('email', 'old-mail', 'transactional', ?, 'someone@life.test', 'Hi', 'Hello someone', 'sent', 1, ?, ?),
              ('email', 'recent-mail', 'transactional', ?, 'someone@life.test', 'Hi', 'Hello someone', 'sent', 1, ?, ?)`,
      customerId,
      now - 40 * DAY,
      now - 40 * DAY,
      customerId,
      now,
      now,
    );

    // Import uploads: a finished import's leftover, a dry run not followed up, a fresh dry run,
    // a running import, and a file no job knows.
    const upload = async (state: 'done' | 'dry-stale' | 'dry-fresh' | 'running') => {
      const job = await createImportJob({ fileName: `${state}.csv`, createdBy: null });
      await startImportRun(job.id, { dryRun: state !== 'done', mapping: {} });
      if (state !== 'running')
        await finishImportJob(job.id, {
          processedRows: 1,
          importedRows: 1,
          skippedRows: 0,
          failedRows: 0,
          status: 'done',
          errorReport: '{}',
        });
      const file = importFilePath(job.id);
      fs.writeFileSync(file, 'email\nsomeone@life.test\n');
      if (state === 'dry-stale' || state === 'running')
        fs.utimesSync(file, new Date(now - 2 * HOUR), new Date(now - 2 * HOUR));
      return file;
    };
    const files = {
      done: await upload('done'),
      dryStale: await upload('dry-stale'),
      dryFresh: await upload('dry-fresh'),
      running: await upload('running'),
      orphan: path.join(path.dirname(importFilePath(1)), '99999.csv'),
    };
    fs.writeFileSync(files.orphan, 'email\nx@life.test\n');
    fs.utimesSync(files.orphan, new Date(now - 2 * HOUR), new Date(now - 2 * HOUR));

    const outcomes = await runDueLifecycleJobs(db.handle(), new Date(now));
    expect(outcomes.map((o) => o.job).sort()).toEqual(LIFECYCLE_JOBS.map((j) => j.key).sort());
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    const pruned = Object.fromEntries(outcomes.map((o) => [o.job, o.pruned]));
    expect(pruned).toMatchObject({
      'prune-rate-limits': 1,
      'prune-idempotency-cache': 1,
      'prune-tokens': 1,
      'empty-old-outbox': 1,
      'prune-import-uploads': 3,
      'ledger-checkpoint': 1,
    });
    expect(await db.all('SELECT key FROM idempotency_keys')).toEqual([{ key: 'new' }]);
    expect(await db.all("SELECT token_hash FROM tokens WHERE token_hash LIKE '%-token'")).toEqual([
      { token_hash: 'live-token' },
    ]);
    expect(await db.all('SELECT idempotency_key, to_address, body_text FROM outbox ORDER BY id')).toEqual([
      { idempotency_key: 'old-mail', to_address: null, body_text: null },
      { idempotency_key: 'recent-mail', to_address: 'someone@life.test', body_text: 'Hello someone' },
    ]);
    expect(Object.fromEntries(Object.entries(files).map(([k, f]) => [k, fs.existsSync(f)]))).toEqual({
      done: false,
      dryStale: false,
      dryFresh: true,
      running: true,
      orphan: false,
    });

    const runs = await db.all<{ job: string; last_pruned: number; next_run_at: number }>(
      'SELECT job, last_pruned, next_run_at FROM lifecycle_job_runs ORDER BY job',
    );
    expect(runs).toHaveLength(LIFECYCLE_JOBS.length);
    expect(runs.every((r) => Number(r.next_run_at) > now)).toBe(true);
    // Nothing is due a second later; a run claimed by one worker is not run by another.
    expect(await runDueLifecycleJobs(db.handle(), new Date(now + 1000))).toEqual([]);
    const later = await runDueLifecycleJobs(db.handle(), new Date(now + 61_000));
    expect(later.map((o) => o.job).sort()).toEqual(['expire-opt-ins', 'purge-archived-journeys']);
  });
});
