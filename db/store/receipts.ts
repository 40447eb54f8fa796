import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { insertRows } from '../bulk-insert';
import { consentEvents, consentReceipts, notices, purposes, themes } from '../schema';

export type ReceiptRow = typeof consentReceipts.$inferSelect;

export async function insertReceipt(
  db: Db,
  row: {
    receiptId: string;
    customerId: number;
    eventId: number;
    kid: string;
    token: string;
    createdAt: Date;
  },
): Promise<void> {
  await db.insert(consentReceipts).values(row).run();
}

/** insertReceipt for many receipts at once. */
export async function insertReceipts(
  db: Db,
  rows: readonly Parameters<typeof insertReceipt>[1][],
): Promise<void> {
  await insertRows(
    db,
    'consent_receipts',
    [
      ['receipt_id', 'text'],
      ['customer_id', 'integer'],
      ['event_id', 'integer'],
      ['kid', 'text'],
      ['token', 'text'],
      ['created_at', 'bigint'],
    ],
    rows.map((row) => [
      row.receiptId,
      row.customerId,
      row.eventId,
      row.kid,
      row.token,
      row.createdAt.getTime(),
    ]),
  );
}

export async function receiptByReceiptId(db: Db, receiptId: string): Promise<ReceiptRow | undefined> {
  return await db.select().from(consentReceipts).where(eq(consentReceipts.receiptId, receiptId)).get();
}

export async function receiptsOf(db: Db, customerId: number): Promise<ReceiptRow[]> {
  return await db
    .select()
    .from(consentReceipts)
    .where(eq(consentReceipts.customerId, customerId))
    .orderBy(asc(consentReceipts.id))
    .all();
}

export async function receiptOfEvent(db: Db, eventId: number): Promise<ReceiptRow | undefined> {
  return await db.select().from(consentReceipts).where(eq(consentReceipts.eventId, eventId)).get();
}

export async function deleteReceiptsOf(db: Db, customerId: number): Promise<number> {
  return (await db.delete(consentReceipts).where(eq(consentReceipts.customerId, customerId)).run()).changes;
}

/** The ledger event a receipt names: id, hash and the fields a verifier compares. */
export async function ledgerEventById(db: Db, eventId: number) {
  return await db.select().from(consentEvents).where(eq(consentEvents.id, eventId)).get();
}

/** The exact notice text a grant recorded (by its hash), for the receipt's notice link. */
export async function noticeByHash(db: Db, purposeId: number, textHash: string) {
  return await db
    .select()
    .from(notices)
    .where(and(eq(notices.purposeId, purposeId), eq(notices.textHash, textHash)))
    .get();
}

/** One published notice version of a purpose, every language of it. */
export async function noticeVersionTexts(db: Db, purposeKey: string, version: number) {
  return await db
    .select({
      purposeName: purposes.name,
      purposeKey: purposes.key,
      legalBasis: purposes.legalBasis,
      version: notices.version,
      locale: notices.locale,
      text: notices.text,
      textHash: notices.textHash,
      createdAt: notices.createdAt,
    })
    .from(notices)
    .innerJoin(purposes, eq(purposes.id, notices.purposeId))
    .where(and(eq(purposes.key, purposeKey), eq(notices.version, version)))
    .orderBy(asc(notices.locale))
    .all();
}

export async function themeNamed(db: Db, purposeId: number, key: string) {
  return await db
    .select()
    .from(themes)
    .where(and(eq(themes.purposeId, purposeId), eq(themes.key, key)))
    .get();
}
