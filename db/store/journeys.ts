import { and, asc, desc, eq, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import { getDb, type Db } from '../client';
import { enrollments, journeys, journeyVersions, purposes, themes, users } from '../schema';
import { type JourneyStatus } from '@/lib/vocabulary';

export type JourneyRow = typeof journeys.$inferSelect;
export type JourneyVersionRow = typeof journeyVersions.$inferSelect;

/** What the journey list shows per journey. */
export interface JourneyListItem {
  id: number;
  name: string;
  status: JourneyStatus;
  liveVersionId: number | null;
  updatedAt: Date | null;
  createdAt: Date;
  updatedByName: string | null;
  activeCount: number;
  completedCount: number;
}

// ---------------------------------------------------------------- reads

export async function listJourneysWithCounts(): Promise<JourneyListItem[]> {
  const db = getDb();
  const rows = await db
    .select({
      id: journeys.id,
      name: journeys.name,
      status: journeys.status,
      liveVersionId: journeys.liveVersionId,
      updatedAt: journeys.updatedAt,
      createdAt: journeys.createdAt,
      updatedByName: users.name,
      updatedByEmail: users.email,
    })
    .from(journeys)
    .leftJoin(users, eq(users.id, journeys.updatedBy))
    .orderBy(desc(journeys.id))
    .all();
  const counts = await db
    .select({
      journeyId: enrollments.journeyId,
      active: sql<number>`sum(case when ${enrollments.state} in ('active','waiting') then 1 else 0 end)`,
      completed: sql<number>`sum(case when ${enrollments.state} in ('completed','exited') then 1 else 0 end)`,
    })
    .from(enrollments)
    .where(eq(enrollments.testMode, false))
    .groupBy(enrollments.journeyId)
    .all();
  const byJourney = new Map(counts.map((c) => [c.journeyId, c]));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    status: row.status,
    liveVersionId: row.liveVersionId,
    updatedAt: row.updatedAt,
    createdAt: row.createdAt,
    updatedByName: row.updatedByName || row.updatedByEmail || null,
    activeCount: Number(byJourney.get(row.id)?.active ?? 0),
    completedCount: Number(byJourney.get(row.id)?.completed ?? 0),
  }));
}

export async function findJourneyIn(db: Db, id: number): Promise<JourneyRow | undefined> {
  return await db.select().from(journeys).where(eq(journeys.id, id)).get();
}

export async function findJourney(id: number): Promise<JourneyRow | undefined> {
  return await findJourneyIn(getDb(), id);
}

export async function findDraftIn(db: Db, journeyId: number): Promise<JourneyVersionRow | undefined> {
  return await db
    .select()
    .from(journeyVersions)
    .where(and(eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.isDraft, true)))
    .get();
}

export async function findDraft(journeyId: number): Promise<JourneyVersionRow | undefined> {
  return await findDraftIn(getDb(), journeyId);
}

export async function findVersionIn(
  db: Db,
  journeyId: number,
  versionId: number,
): Promise<JourneyVersionRow | undefined> {
  return await db
    .select()
    .from(journeyVersions)
    .where(and(eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.id, versionId)))
    .get();
}

export async function findVersion(
  journeyId: number,
  versionId: number,
): Promise<JourneyVersionRow | undefined> {
  return await findVersionIn(getDb(), journeyId, versionId);
}

export interface VersionListItem {
  id: number;
  number: number | null;
  changeSummary: string;
  authorName: string | null;
  createdAt: Date;
  isLive: boolean;
}

/** Published versions, newest first. */
export async function listPublishedVersions(journeyId: number): Promise<VersionListItem[]> {
  const db = getDb();
  const journey = await findJourneyIn(db, journeyId);
  const rows = await db
    .select({
      id: journeyVersions.id,
      number: journeyVersions.number,
      changeSummary: journeyVersions.changeSummary,
      createdAt: journeyVersions.createdAt,
      authorName: users.name,
      authorEmail: users.email,
    })
    .from(journeyVersions)
    .leftJoin(users, eq(users.id, journeyVersions.authorId))
    .where(and(eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.isDraft, false)))
    .orderBy(desc(journeyVersions.number))
    .all();
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    changeSummary: row.changeSummary,
    createdAt: row.createdAt,
    authorName: row.authorName || row.authorEmail || null,
    isLive: journey?.liveVersionId === row.id,
  }));
}

export async function latestPublished(db: Db, journeyId: number): Promise<JourneyVersionRow | undefined> {
  return await db
    .select()
    .from(journeyVersions)
    .where(and(eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.isDraft, false)))
    .orderBy(desc(journeyVersions.number))
    .limit(1)
    .get();
}

/** A journey with the graphs of its live version (when published) and of its draft. */
export interface JourneyGraphs {
  id: number;
  name: string;
  status: JourneyStatus;
  live: { versionId: number; number: number | null; graph: unknown } | null;
  draft: { versionId: number; graph: unknown } | null;
}

/** Every journey that is not archived, with its live and draft graphs (record of processing, privacy lint). */
export async function listJourneyGraphs(db: Db = getDb()): Promise<JourneyGraphs[]> {
  const rows = await db
    .select({
      id: journeys.id,
      name: journeys.name,
      status: journeys.status,
      liveVersionId: journeys.liveVersionId,
    })
    .from(journeys)
    .where(ne(journeys.status, 'archived'))
    .orderBy(asc(journeys.id))
    .all();
  if (rows.length === 0) return [];
  const liveIds = rows.flatMap((row) => (row.liveVersionId === null ? [] : [row.liveVersionId]));
  const versions = await db
    .select({
      id: journeyVersions.id,
      journeyId: journeyVersions.journeyId,
      isDraft: journeyVersions.isDraft,
      number: journeyVersions.number,
      graph: journeyVersions.graph,
    })
    .from(journeyVersions)
    .where(
      liveIds.length > 0
        ? or(eq(journeyVersions.isDraft, true), inArray(journeyVersions.id, liveIds))
        : eq(journeyVersions.isDraft, true),
    )
    .all();
  return rows.map((row) => {
    const live = versions.find((v) => v.id === row.liveVersionId && !v.isDraft);
    const draft = versions.find((v) => v.journeyId === row.id && v.isDraft);
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      live: live ? { versionId: live.id, number: live.number, graph: live.graph } : null,
      draft: draft ? { versionId: draft.id, graph: draft.graph } : null,
    };
  });
}

export interface PurposeWithThemes {
  key: string;
  name: string;
  legalBasis: string;
  themes: { key: string; name: string }[];
  recipients: { key: string; name: string }[];
}

/** Active purposes with their themes and recipients, for the pickers and the validator. */
export async function listPurposesWithThemes(): Promise<PurposeWithThemes[]> {
  const db = getDb();
  const purposeRows = await db.select().from(purposes).orderBy(asc(purposes.name)).all();
  const themeRows = await db.select().from(themes).orderBy(asc(themes.name)).all();
  return purposeRows
    .filter((purpose) => purpose.archivedAt === null)
    .map((purpose) => ({
      key: purpose.key,
      name: purpose.name,
      legalBasis: purpose.legalBasis,
      themes: themeRows.filter((t) => t.purposeId === purpose.id).map((t) => ({ key: t.key, name: t.name })),
      recipients: purpose.recipients.map((r) => ({ key: r.key, name: r.name })),
    }));
}

// ---------------------------------------------------------------- writes (sync, for transactions)

export async function insertJourney(
  db: Db,
  input: { name: string; graph: unknown; authorId: number | null; status?: JourneyStatus },
): Promise<JourneyRow> {
  const now = new Date();
  const journey = await db
    .insert(journeys)
    .values({
      name: input.name,
      status: input.status ?? 'draft',
      createdBy: input.authorId,
      updatedBy: input.authorId,
      updatedAt: now,
    })
    .returning()
    .get();
  await db
    .insert(journeyVersions)
    .values({
      journeyId: journey.id,
      isDraft: true,
      number: null,
      graph: input.graph,
      revision: 1,
      authorId: input.authorId,
      updatedAt: now,
    })
    .run();
  return journey;
}

export async function updateJourney(
  db: Db,
  id: number,
  patch: Partial<Pick<JourneyRow, 'name' | 'status' | 'liveVersionId' | 'archivedAt'>>,
  actorId: number | null,
): Promise<JourneyRow | undefined> {
  return await db
    .update(journeys)
    .set({ ...patch, updatedAt: new Date(), updatedBy: actorId })
    .where(eq(journeys.id, id))
    .returning()
    .get();
}

/**
 * Compare-and-set on the draft revision: returns the new row, or undefined when the
 * stored revision is not `expectedRevision` (someone saved in between) and nothing changed.
 */
export async function saveDraftIn(
  db: Db,
  input: { journeyId: number; expectedRevision: number; graph: unknown; authorId: number | null },
): Promise<JourneyVersionRow | undefined> {
  return await db
    .update(journeyVersions)
    .set({
      graph: input.graph,
      revision: sql`${journeyVersions.revision} + 1`,
      authorId: input.authorId,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(journeyVersions.journeyId, input.journeyId),
        eq(journeyVersions.isDraft, true),
        eq(journeyVersions.revision, input.expectedRevision),
      ),
    )
    .returning()
    .get();
}

/** Replaces the draft graph whatever its revision (restore, publish-time normalisation). */
export async function replaceDraft(
  db: Db,
  input: { journeyId: number; graph: unknown; authorId: number | null },
): Promise<JourneyVersionRow | undefined> {
  return await db
    .update(journeyVersions)
    .set({
      graph: input.graph,
      revision: sql`${journeyVersions.revision} + 1`,
      authorId: input.authorId,
      updatedAt: new Date(),
    })
    .where(and(eq(journeyVersions.journeyId, input.journeyId), eq(journeyVersions.isDraft, true)))
    .returning()
    .get();
}

export async function insertPublishedVersion(
  db: Db,
  input: { journeyId: number; graph: unknown; authorId: number | null; changeSummary: string },
): Promise<JourneyVersionRow> {
  const last = await db
    .select({ max: sql<number | null>`max(${journeyVersions.number})` })
    .from(journeyVersions)
    .where(and(eq(journeyVersions.journeyId, input.journeyId), isNotNull(journeyVersions.number)))
    .get();
  return await db
    .insert(journeyVersions)
    .values({
      journeyId: input.journeyId,
      isDraft: false,
      number: (last?.max ?? 0) + 1,
      graph: input.graph,
      revision: 1,
      changeSummary: input.changeSummary,
      authorId: input.authorId,
    })
    .returning()
    .get();
}

// ---------------------------------------------------------------- live view
