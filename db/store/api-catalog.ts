import { and, asc, desc, eq, gt, isNull } from 'drizzle-orm';
import { getDb } from '../client';
import { journeys, notices, purposes, themes } from '../schema';

/** Read-only listings the integration API exposes (purposes with themes and notice version; journeys). */
export async function listPurposesWithThemes() {
  const db = getDb();
  const rows = await db
    .select()
    .from(purposes)
    .where(isNull(purposes.archivedAt))
    .orderBy(asc(purposes.id))
    .all();
  const allThemes = await db.select().from(themes).orderBy(asc(themes.id)).all();
  const versions = await db
    .select({ purposeId: notices.purposeId, version: notices.version })
    .from(notices)
    .orderBy(desc(notices.version))
    .all();
  return rows.map((purpose) => ({
    ...purpose,
    themes: allThemes.filter((theme) => theme.purposeId === purpose.id),
    currentNoticeVersion: versions.find((notice) => notice.purposeId === purpose.id)?.version ?? null,
  }));
}

export async function listJourneysPage(afterId: number | null, limit: number) {
  return await getDb()
    .select({
      id: journeys.id,
      name: journeys.name,
      status: journeys.status,
      liveVersionId: journeys.liveVersionId,
      updatedAt: journeys.updatedAt,
    })
    .from(journeys)
    .where(and(afterId ? gt(journeys.id, afterId) : undefined, isNull(journeys.purgedAt)))
    .orderBy(asc(journeys.id))
    .limit(limit + 1)
    .all();
}

export async function findJourney(id: number) {
  return await getDb().select().from(journeys).where(eq(journeys.id, id)).get();
}
