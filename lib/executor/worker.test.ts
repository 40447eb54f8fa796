import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { prepared } from '@/db/store/enrollments';
import { createExport, exportFilePath } from '@/lib/privacy/exports';
import { useTempDatabase } from '@/tests/helpers/db';
import { insertFixtureCustomersSync, seedDemoPurposes } from './test-fixtures';
import { runWorker } from './worker';

const database = useTempDatabase();

beforeAll(async () => {
  await seedDemoPurposes();
});

describe('worker housekeeping', () => {
  it('deletes expired data-export files when it starts', async () => {
    const customer = writeTransaction((db) =>
      insertFixtureCustomersSync(db, 1, { emailDomain: 'worker.test' }),
    ).firstId;
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    const expired = writeTransaction((db) => createExport(db, customer, { now: eightDaysAgo }));
    const fresh = writeTransaction((db) => createExport(db, customer));
    const fileOf = (id: number) =>
      (
        prepared(database.handle().db, 'SELECT file_name FROM exports WHERE id = ?').get(id) as {
          file_name: string;
        }
      ).file_name;
    const expiredFile = exportFilePath(fileOf(expired.exportId));
    const freshFile = exportFilePath(fileOf(fresh.exportId));
    expect(fs.existsSync(expiredFile)).toBe(true);

    await runWorker({ workerId: 'housekeeping-test', exitWhenIdle: true, pollMs: 10 });

    expect(fs.existsSync(expiredFile)).toBe(false);
    expect(fs.existsSync(freshFile)).toBe(true);
  });
});
