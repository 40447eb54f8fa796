import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction, sqlGet } from '@/db/client';

import { createExport, exportFilePath } from '@/lib/privacy/exports';
import { useTempDatabase } from '@/tests/helpers/db';
import { insertFixtureCustomers, seedDemoPurposes } from '@/tests/fixtures/executor';
import { runWorker } from './worker';

const database = useTempDatabase();

beforeAll(async () => {
  await seedDemoPurposes();
});

describe('worker housekeeping', () => {
  it('deletes expired data-export files when it starts', async () => {
    const customer = (
      await writeTransaction(
        async (db) => await insertFixtureCustomers(db, 1, { emailDomain: 'worker.test' }),
      )
    ).firstId;
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    const expired = await writeTransaction(
      async (db) => await createExport(db, customer, { now: eightDaysAgo }),
    );
    const fresh = await writeTransaction(async (db) => await createExport(db, customer));
    const fileOf = async (id: number) =>
      (
        (await sqlGet(database.handle().db, 'SELECT file_name FROM exports WHERE id = ?', [id])) as {
          file_name: string;
        }
      ).file_name;
    const expiredFile = exportFilePath(await fileOf(expired.exportId));
    const freshFile = exportFilePath(await fileOf(fresh.exportId));
    expect(fs.existsSync(expiredFile)).toBe(true);

    await runWorker({ workerId: 'housekeeping-test', exitWhenIdle: true, pollMs: 10 });

    expect(fs.existsSync(expiredFile)).toBe(false);
    expect(fs.existsSync(freshFile)).toBe(true);
  });
});
