import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, sqlGet, writeTransaction } from '@/db/client';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { insertFixtureCustomers, seedDemoPurposes } from '@/tests/fixtures/executor';
import { isPostgresMode, useTempDatabase } from './helpers/db';
import { createScratchDatabase, dropScratchDatabase } from '@/tests/helpers/postgres';

/**
 * `npm run db:backup` of a running instance under write load, `npm run db:restore` into an empty
 * database, ledger verified, counts consistent. SQLite (online backup API); with TEST_STORE=postgres
 * the same on PostgreSQL through pg_dump / pg_restore (skipped without pg_dump).
 */

const database = useTempDatabase();
const hasPgDump = spawnSync('pg_dump', ['--version'], { stdio: 'ignore' }).status === 0;
const scratch: string[] = [];
afterAll(async () => {
  for (const url of scratch) {
    await closeDatabase(url);
    await dropScratchDatabase(url);
  }
});

function runScript(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function count(url: string, sql: string): Promise<number> {
  return Number(((await sqlGet(openDatabase(url).db, sql)) as { n: number }).n);
}

describe.skipIf(isPostgresMode() && !hasPgDump)('backup and restore', () => {
  it('backs up a running instance under write load; the restore verifies and is consistent', async () => {
    const url = process.env.DATABASE_URL!;
    const dir = database.dir();
    await seedDemoPurposes();
    // Write load: customers, each with a grant in the same transaction, until the backup is done.
    let stop = false;
    let written = 0;
    const load = (async () => {
      while (!stop) {
        await writeTransaction(async (db) => {
          const { firstId } = await insertFixtureCustomers(db, 1, { startIndex: written });
          await recordConsentEvent(db, {
            customerId: firstId,
            purposeKey: 'newsletter',
            action: 'grant',
            source: 'staff',
            evidence: { load: written },
          });
        });
        written++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    while (written < 30) await new Promise((resolve) => setTimeout(resolve, 10));

    const file = path.join(dir, 'backups', 'tarmo.backup');
    const before = written;
    const backup = await runScript('scripts/db-backup.ts', [file], {
      DATABASE_URL: url,
      TARMO_DATA_DIR: dir,
    });
    const after = written;
    stop = true;
    await load;
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain('secrets');
    expect(after).toBeGreaterThan(before); // the app kept writing while the backup ran
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // Restore elsewhere, with the secrets directory copied from the backup's instance.
    const target = path.join(dir, 'restored');
    fs.mkdirSync(target);
    const targetUrl = isPostgresMode()
      ? await createScratchDatabase('tarmo_r')
      : `file:${path.join(target, 'tarmo.db')}`;
    if (isPostgresMode()) scratch.push(targetUrl);
    const env = { DATABASE_URL: targetUrl, TARMO_DATA_DIR: target };
    const withoutKey = await runScript('scripts/db-restore.ts', [file], env);
    expect(withoutKey.code).not.toBe(0);
    expect(withoutKey.stderr).toContain('secrets');
    fs.cpSync(path.join(dir, 'secrets'), path.join(target, 'secrets'), { recursive: true });
    const restore = await runScript('scripts/db-restore.ts', [file], env);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('"ok":true');

    // A consistent snapshot: every restored customer has the grant written with it, no gaps.
    const customers = await count(targetUrl, 'SELECT count(*) AS n FROM customers');
    const events = await count(targetUrl, 'SELECT count(*) AS n FROM consent_events');
    const lastId = await count(targetUrl, 'SELECT max(id) AS n FROM consent_events');
    const granted = await count(targetUrl, `SELECT count(*) AS n FROM consent_state WHERE state = 'granted'`);
    expect(customers).toBeGreaterThanOrEqual(before);
    expect(customers).toBeLessThanOrEqual(written);
    expect(events).toBe(customers);
    expect(lastId).toBe(events);
    expect(granted).toBe(customers);

    // Only into an empty database.
    const again = await runScript('scripts/db-restore.ts', [file], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/not empty/);
  }, 120_000);
});
