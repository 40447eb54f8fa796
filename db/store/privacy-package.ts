import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../client';
import { enrollments, exports, journeys, stepEvents, webhooks } from '../schema';

/** Every automated decision about the customer with its human-readable reason (Art. 15(1)(h)). */
export async function stepEventsOf(db: Db, customerId: number) {
  return await db
    .select({
      journeyId: stepEvents.journeyId,
      journeyName: journeys.name,
      nodeId: stepEvents.nodeId,
      stepType: stepEvents.stepType,
      outcome: stepEvents.outcome,
      reason: stepEvents.reason,
      at: stepEvents.at,
    })
    .from(stepEvents)
    .leftJoin(journeys, eq(journeys.id, stepEvents.journeyId))
    .where(eq(stepEvents.customerId, customerId))
    .orderBy(asc(stepEvents.id))
    .all();
}

export async function enrollmentsOf(db: Db, customerId: number) {
  return await db
    .select({
      id: enrollments.id,
      journeyId: enrollments.journeyId,
      journeyName: journeys.name,
      versionId: enrollments.versionId,
      state: enrollments.state,
      nodeId: enrollments.nodeId,
      enteredAt: enrollments.enteredAt,
      endedAt: enrollments.endedAt,
    })
    .from(enrollments)
    .leftJoin(journeys, eq(journeys.id, enrollments.journeyId))
    .where(eq(enrollments.customerId, customerId))
    .orderBy(asc(enrollments.id))
    .all();
}

export async function activeWebhookForRecipient(db: Db, recipientKey: string) {
  return await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.recipientKey, recipientKey), eq(webhooks.active, true)))
    .get();
}

export async function insertExportRow(
  db: Db,
  row: { customerId: number; requestId: number | null; fileName: string; expiresAt: Date; createdAt: Date },
) {
  return await db.insert(exports).values(row).returning().get();
}

export async function exportById(db: Db, id: number) {
  return await db.select().from(exports).where(eq(exports.id, id)).get();
}

export async function countExportDownload(db: Db, id: number): Promise<void> {
  const row = await exportById(db, id);
  if (row)
    await db
      .update(exports)
      .set({ downloadCount: row.downloadCount + 1 })
      .where(eq(exports.id, id))
      .run();
}

export async function liveExportsOf(db: Db, customerId: number) {
  return await db
    .select()
    .from(exports)
    .where(and(eq(exports.customerId, customerId), isNull(exports.deletedAt)))
    .all();
}

export async function markExportsDeleted(db: Db, ids: number[], at: Date): Promise<void> {
  if (ids.length) await db.update(exports).set({ deletedAt: at }).where(inArray(exports.id, ids)).run();
}

export async function expiredLiveExports(db: Db, now: Date, limit = 200) {
  return await db
    .select()
    .from(exports)
    .where(and(isNull(exports.deletedAt), lte(exports.expiresAt, now)))
    .limit(limit)
    .all();
}

export async function allExportFileNames(db: Db): Promise<string[]> {
  return (await db.select({ fileName: exports.fileName }).from(exports).all()).map((r) => r.fileName);
}
