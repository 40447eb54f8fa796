import { desc } from 'drizzle-orm';
import type { Db } from '../client';
import { ledgerChecks } from '../schema';

export function insertLedgerCheck(
  db: Db,
  row: { ok: boolean; checkedCount: number; firstBrokenEventId: number | null; message: string },
): void {
  db.insert(ledgerChecks).values(row).run();
}

export function latestLedgerCheck(db: Db) {
  return db.select().from(ledgerChecks).orderBy(desc(ledgerChecks.id)).limit(1).get();
}
