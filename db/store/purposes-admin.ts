import { and, asc, desc, eq } from 'drizzle-orm';
import { getDb, type Db } from '../client';
import { consentEvents, notices, purposes, themes } from '../schema';
import { type LegalBasis, type Recipient, type Translations } from '@/lib/vocabulary';

export type PurposeAdminRow = typeof purposes.$inferSelect;
export type ThemeRow = typeof themes.$inferSelect;
export type NoticeRow = typeof notices.$inferSelect;

export type PurposeValues = {
  key: string;
  name: string;
  description: string;
  legalBasis: LegalBasis;
  retentionDays: number;
  recipients: Recipient[];
  retentionDuty: string | null;
  translations: Translations;
  clickTracking: boolean;
  honoursGpc: boolean;
};

export async function purposeRowByKey(db: Db, key: string): Promise<PurposeAdminRow | undefined> {
  return await db.select().from(purposes).where(eq(purposes.key, key)).get();
}

export async function insertPurposeRow(db: Db, values: PurposeValues): Promise<PurposeAdminRow> {
  return await db.insert(purposes).values(values).returning().get();
}

export async function updatePurposeRow(
  db: Db,
  id: number,
  values: Omit<PurposeValues, 'key'>,
): Promise<void> {
  await db.update(purposes).set(values).where(eq(purposes.id, id)).run();
}

/** True once any consent event references the purpose: its legal basis is then part of the evidence. */
export async function purposeHasLedgerEvents(db: Db, purposeId: number): Promise<boolean> {
  return !!(await db
    .select({ id: consentEvents.id })
    .from(consentEvents)
    .where(eq(consentEvents.purposeId, purposeId))
    .limit(1)
    .get());
}

export async function themeOfPurpose(db: Db, purposeId: number, key: string): Promise<ThemeRow | undefined> {
  return await db
    .select()
    .from(themes)
    .where(and(eq(themes.purposeId, purposeId), eq(themes.key, key)))
    .get();
}

export async function insertThemeRow(
  db: Db,
  values: { purposeId: number; key: string; name: string; description: string; translations: Translations },
): Promise<ThemeRow> {
  return await db.insert(themes).values(values).returning().get();
}

export async function updateThemeRow(
  db: Db,
  id: number,
  values: { name: string; description: string; translations: Translations },
): Promise<void> {
  await db.update(themes).set(values).where(eq(themes.id, id)).run();
}

export type PurposeAdminView = PurposeAdminRow & { themes: ThemeRow[]; notices: NoticeRow[] };

/** Every purpose with its themes and full notice history (newest version first); small tables. */
export async function listPurposesForAdminIn(db: Db): Promise<PurposeAdminView[]> {
  const purposeRows = await db.select().from(purposes).orderBy(asc(purposes.id)).all();
  const themeRows = await db.select().from(themes).orderBy(asc(themes.id)).all();
  const noticeRows = await db
    .select()
    .from(notices)
    .orderBy(desc(notices.version), asc(notices.locale))
    .all();
  return purposeRows.map((purpose) => ({
    ...purpose,
    themes: themeRows.filter((t) => t.purposeId === purpose.id),
    notices: noticeRows.filter((n) => n.purposeId === purpose.id),
  }));
}

export async function listPurposesForAdmin(): Promise<PurposeAdminView[]> {
  return await listPurposesForAdminIn(getDb());
}
