import { and, asc, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { getDb, type Db } from '../client';
import {
  customers,
  enrollments,
  journeyNodeStats,
  journeys,
  journeyVersions,
  purposes,
  stepEvents,
  testRuns,
  themes,
  users,
} from '../schema';
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

export interface NodeLiveStats {
  /** Customers now at each node (active or waiting). */
  atNode: Record<string, number>;
  /** Customers that left each node, by output handle. */
  leftBy: Record<string, Record<string, number>>;
}

export async function journeyLiveStats(journeyId: number): Promise<NodeLiveStats> {
  const db = getDb();
  const present = await db
    .select({ nodeId: enrollments.nodeId, count: sql<number>`count(*)` })
    .from(enrollments)
    .where(
      and(
        eq(enrollments.journeyId, journeyId),
        inArray(enrollments.state, ['active', 'waiting']),
        eq(enrollments.testMode, false),
      ),
    )
    .groupBy(enrollments.nodeId)
    .all();
  const left = await db
    .select()
    .from(journeyNodeStats)
    .where(eq(journeyNodeStats.journeyId, journeyId))
    .all();
  const leftBy: NodeLiveStats['leftBy'] = {};
  for (const row of left) (leftBy[row.nodeId] ??= {})[row.handle] = row.count;
  return { atNode: Object.fromEntries(present.map((row) => [row.nodeId, Number(row.count)])), leftBy };
}

export interface NodeCustomer {
  customerId: number;
  name: string;
  email: string | null;
  state: string;
  enteredAt: Date;
}

export async function listCustomersAtNode(
  journeyId: number,
  nodeId: string,
  limit = 100,
): Promise<NodeCustomer[]> {
  return await getDb()
    .select({
      customerId: enrollments.customerId,
      name: customers.name,
      email: customers.email,
      state: enrollments.state,
      enteredAt: enrollments.enteredAt,
    })
    .from(enrollments)
    .innerJoin(customers, eq(customers.id, enrollments.customerId))
    .where(
      and(
        eq(enrollments.journeyId, journeyId),
        eq(enrollments.nodeId, nodeId),
        inArray(enrollments.state, ['active', 'waiting']),
        eq(enrollments.testMode, false),
      ),
    )
    .orderBy(asc(enrollments.enteredAt))
    .limit(limit)
    .all();
}

export interface CustomerPathStep {
  nodeId: string;
  stepType: string;
  outcome: string;
  reason: string;
  at: Date;
}

export interface CustomerPath {
  customerId: number;
  name: string;
  email: string | null;
  state: string | null;
  currentNodeId: string | null;
  steps: CustomerPathStep[];
}

/** A customer's most recent enrollment in the journey and the step events recorded for it. */
export async function findCustomerPath(journeyId: number, query: string): Promise<CustomerPath | undefined> {
  const db = getDb();
  const trimmed = query.trim().toLowerCase();
  if (!trimmed) return undefined;
  const numeric = /^\d+$/.test(trimmed) ? Number(trimmed) : -1;
  const customer = await db
    .select({ id: customers.id, name: customers.name, email: customers.email })
    .from(customers)
    .where(
      or(
        eq(customers.id, numeric),
        eq(customers.email, trimmed),
        eq(customers.externalId, query.trim()),
        // lower() on both sides: LIKE ignores case on SQLite only.
        sql`lower(${customers.email}) LIKE lower(${`${trimmed.replace(/[%_]/g, '')}%`})`,
      ),
    )
    .orderBy(asc(customers.id))
    .limit(1)
    .get();
  if (!customer) return undefined;
  const enrollment = await db
    .select()
    .from(enrollments)
    .where(
      and(
        eq(enrollments.journeyId, journeyId),
        eq(enrollments.customerId, customer.id),
        eq(enrollments.testMode, false),
      ),
    )
    .orderBy(desc(enrollments.id))
    .limit(1)
    .get();
  const steps = enrollment
    ? await db
        .select({
          nodeId: stepEvents.nodeId,
          stepType: stepEvents.stepType,
          outcome: stepEvents.outcome,
          reason: stepEvents.reason,
          at: stepEvents.at,
        })
        .from(stepEvents)
        .where(eq(stepEvents.enrollmentId, enrollment.id))
        .orderBy(asc(stepEvents.seq))
        .all()
    : [];
  return {
    customerId: customer.id,
    name: customer.name,
    email: customer.email,
    state: enrollment?.state ?? null,
    currentNodeId: enrollment && ['active', 'waiting'].includes(enrollment.state) ? enrollment.nodeId : null,
    steps,
  };
}

// ---------------------------------------------------------------- test runs

export async function insertTestRun(input: {
  journeyId: number;
  createdBy: number | null;
  trace: unknown[];
}): Promise<number> {
  const row = await getDb()
    .insert(testRuns)
    .values({ journeyId: input.journeyId, createdBy: input.createdBy, trace: input.trace, simulated: true })
    .returning({ id: testRuns.id })
    .get();
  return row.id;
}

export async function listTestCustomers(
  limit = 50,
): Promise<{ id: number; name: string; email: string | null }[]> {
  return await getDb()
    .select({ id: customers.id, name: customers.name, email: customers.email })
    .from(customers)
    .where(eq(customers.status, 'active'))
    .orderBy(asc(customers.id))
    .limit(limit)
    .all();
}
