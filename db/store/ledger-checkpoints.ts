import { and, asc, count, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { consentEvents, consentEvidence, ledgerCheckpoints } from '../schema';

export type LedgerCheckpointRow = typeof ledgerCheckpoints.$inferSelect;

/** The chain's head: how many events it holds and the newest one's id and hash. */
export async function readLedgerHead(
  db: Db,
): Promise<{ eventCount: number; headEventId: number; headHash: string } | null> {
  const last = await db
    .select({ id: consentEvents.id, hash: consentEvents.hash })
    .from(consentEvents)
    .orderBy(desc(consentEvents.id))
    .limit(1)
    .get();
  if (!last) return null;
  const total = await db.select({ n: count() }).from(consentEvents).get();
  return { eventCount: Number(total?.n ?? 0), headEventId: last.id, headHash: last.hash };
}

/** One checkpoint per head; writing the same head twice keeps the first. */
export async function insertLedgerCheckpoint(db: Db, row: LedgerCheckpointRow): Promise<boolean> {
  return (await db.insert(ledgerCheckpoints).values(row).onConflictDoNothing().run()).changes > 0;
}

export async function listLedgerCheckpoints(db: Db): Promise<LedgerCheckpointRow[]> {
  return await db.select().from(ledgerCheckpoints).orderBy(asc(ledgerCheckpoints.eventCount)).all();
}

export async function latestLedgerCheckpoint(db: Db): Promise<LedgerCheckpointRow | undefined> {
  return await db.select().from(ledgerCheckpoints).orderBy(desc(ledgerCheckpoints.eventCount)).limit(1).get();
}

/**
 * Customer and purpose pairs whose evidence was redacted with no later 'redact' event in the
 * chain: redactions made before redaction was itself recorded in the ledger.
 */
export async function unrecordedRedactions(
  db: Db,
): Promise<{ customerId: number; purposeId: number; themeKey: string }[]> {
  return await db
    .selectDistinct({
      customerId: consentEvents.customerId,
      purposeId: consentEvents.purposeId,
      themeKey: consentEvents.themeKey,
    })
    .from(consentEvents)
    .innerJoin(consentEvidence, eq(consentEvidence.eventId, consentEvents.id))
    .where(
      and(
        isNotNull(consentEvidence.redactedAt),
        sql`NOT EXISTS (SELECT 1 FROM consent_events r WHERE r.customer_id = ${consentEvents.customerId}
          AND r.purpose_id = ${consentEvents.purposeId} AND r.action = 'redact' AND r.id > ${consentEvents.id})`,
      ),
    )
    .orderBy(asc(consentEvents.customerId), asc(consentEvents.purposeId))
    .all();
}

/**
 * The purposes and themes under which a customer has ledger events (each gets one 'redact' event
 * on erasure; a theme that has events also has a consent state, which the event leaves as it is).
 */
export async function ledgerPurposesOf(
  db: Db,
  customerId: number,
): Promise<{ purposeId: number; themeKey: string; lastEventId: number; events: number }[]> {
  return (
    await db
      .select({
        purposeId: consentEvents.purposeId,
        themeKey: consentEvents.themeKey,
        lastEventId: sql<number>`max(${consentEvents.id})`,
        events: count(),
      })
      .from(consentEvents)
      .where(eq(consentEvents.customerId, customerId))
      .groupBy(consentEvents.purposeId, consentEvents.themeKey)
      .orderBy(asc(consentEvents.purposeId), asc(consentEvents.themeKey))
      .all()
  ).map((r) => ({ ...r, lastEventId: Number(r.lastEventId), events: Number(r.events) }));
}
