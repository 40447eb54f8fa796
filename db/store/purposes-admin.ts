import { and, asc, desc, eq } from 'drizzle-orm';
import { getDb, type Db } from '../client';
import { consentEvents, notices, purposes, themes, type LegalBasis, type Recipient } from '../schema';

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
};

export function purposeRowByKey(db: Db, key: string): PurposeAdminRow | undefined {
  return db.select().from(purposes).where(eq(purposes.key, key)).get();
}

export function insertPurposeRow(db: Db, values: PurposeValues): PurposeAdminRow {
  return db.insert(purposes).values(values).returning().get();
}

export function updatePurposeRow(db: Db, id: number, values: Omit<PurposeValues, 'key'>): void {
  db.update(purposes).set(values).where(eq(purposes.id, id)).run();
}

/** True once any consent event references the purpose: its legal basis is then part of the evidence. */
export function purposeHasLedgerEvents(db: Db, purposeId: number): boolean {
  return !!db
    .select({ id: consentEvents.id })
    .from(consentEvents)
    .where(eq(consentEvents.purposeId, purposeId))
    .limit(1)
    .get();
}

export function themeOfPurpose(db: Db, purposeId: number, key: string): ThemeRow | undefined {
  return db
    .select()
    .from(themes)
    .where(and(eq(themes.purposeId, purposeId), eq(themes.key, key)))
    .get();
}

export function insertThemeRow(
  db: Db,
  values: { purposeId: number; key: string; name: string; description: string },
): ThemeRow {
  return db.insert(themes).values(values).returning().get();
}

export function updateThemeRow(db: Db, id: number, values: { name: string; description: string }): void {
  db.update(themes).set(values).where(eq(themes.id, id)).run();
}

export type PurposeAdminView = PurposeAdminRow & { themes: ThemeRow[]; notices: NoticeRow[] };

/** Every purpose with its themes and full notice history (newest version first); small tables. */
export function listPurposesForAdminSync(db: Db): PurposeAdminView[] {
  const purposeRows = db.select().from(purposes).orderBy(asc(purposes.id)).all();
  const themeRows = db.select().from(themes).orderBy(asc(themes.id)).all();
  const noticeRows = db.select().from(notices).orderBy(desc(notices.version), asc(notices.locale)).all();
  return purposeRows.map((purpose) => ({
    ...purpose,
    themes: themeRows.filter((t) => t.purposeId === purpose.id),
    notices: noticeRows.filter((n) => n.purposeId === purpose.id),
  }));
}

export async function listPurposesForAdmin(): Promise<PurposeAdminView[]> {
  return listPurposesForAdminSync(getDb());
}
