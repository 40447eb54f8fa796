import { and, asc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import { getDb, type Db } from '../client';
import { consentEvents, purposes } from '../schema';
import { CONSENT_STATES } from '@/lib/vocabulary';

/** The consent ledger export, a page at a time in id order (CSV/JSON download in Mission Control). */

export type LedgerExportRow = {
  id: number;
  occurredAt: number;
  customerId: number;
  purposeKey: string;
  themeKey: string;
  action: string;
  stateAfter: string;
  source: string;
  noticeHash: string | null;
  evidenceDigest: string;
  prevHash: string;
  hash: string;
};

export type LedgerExportFilter = {
  from?: Date;
  to?: Date;
  purposeId?: number;
  afterId: number;
  limit: number;
};

/** One keyset page of the ledger for the streamed CSV export (no read transaction held between pages). */
export async function ledgerExportPage(
  filter: LedgerExportFilter,
  db: Db = getDb(),
): Promise<LedgerExportRow[]> {
  const conditions: SQL[] = [gt(consentEvents.id, filter.afterId)];
  if (filter.from) conditions.push(sql`${consentEvents.occurredAt} >= ${filter.from.getTime()}`);
  if (filter.to) conditions.push(lt(consentEvents.occurredAt, filter.to));
  if (filter.purposeId !== undefined) conditions.push(eq(consentEvents.purposeId, filter.purposeId));
  return await db
    .select({
      id: consentEvents.id,
      occurredAt: sql<number>`${consentEvents.occurredAt}`,
      customerId: consentEvents.customerId,
      purposeKey: purposes.key,
      themeKey: consentEvents.themeKey,
      action: consentEvents.action,
      stateAfter: consentEvents.stateAfter,
      source: consentEvents.source,
      noticeHash: consentEvents.noticeHash,
      evidenceDigest: consentEvents.evidenceDigest,
      prevHash: consentEvents.prevHash,
      hash: consentEvents.hash,
    })
    .from(consentEvents)
    .innerJoin(purposes, eq(purposes.id, consentEvents.purposeId))
    .where(and(...conditions))
    .orderBy(asc(consentEvents.id))
    .limit(filter.limit)
    .all();
}

export { CONSENT_STATES };
