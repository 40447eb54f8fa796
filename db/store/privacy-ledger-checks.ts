import { desc } from 'drizzle-orm';
import type { Db } from '../client';
import { ledgerChecks } from '../schema';

export async function insertLedgerCheck(
  db: Db,
  row: { ok: boolean; checkedCount: number; firstBrokenEventId: number | null; message: string },
): Promise<void> {
  await db.insert(ledgerChecks).values(row).run();
}

export async function latestLedgerCheck(db: Db) {
  return await db.select().from(ledgerChecks).orderBy(desc(ledgerChecks.id)).limit(1).get();
}
