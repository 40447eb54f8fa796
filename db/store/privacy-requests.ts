import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { auditLog, customers, privacyRequests } from '../schema';
import { PRIVACY_REQUEST_KINDS, PRIVACY_REQUEST_STATUSES } from '@/lib/vocabulary';

export type PrivacyRequestRow = typeof privacyRequests.$inferSelect;
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];
export type PrivacyRequestStatus = (typeof PRIVACY_REQUEST_STATUSES)[number];
export type PrivacyRequestSource = PrivacyRequestRow['source'];

export async function insertPrivacyRequest(
  db: Db,
  row: {
    customerId: number | null;
    kind: PrivacyRequestKind;
    status: PrivacyRequestStatus;
    source: PrivacyRequestSource;
    details: Record<string, unknown>;
    receivedAt: Date;
    dueAt: Date;
    verifiedAt: Date | null;
  },
): Promise<PrivacyRequestRow> {
  return await db.insert(privacyRequests).values(row).returning().get();
}

export async function privacyRequestById(db: Db, id: number): Promise<PrivacyRequestRow | undefined> {
  return await db.select().from(privacyRequests).where(eq(privacyRequests.id, id)).get();
}

export async function updatePrivacyRequest(
  db: Db,
  id: number,
  patch: Partial<Omit<PrivacyRequestRow, 'id'>>,
): Promise<void> {
  await db.update(privacyRequests).set(patch).where(eq(privacyRequests.id, id)).run();
}

export async function setRequestReceipt(db: Db, id: number, receipt: Record<string, unknown>): Promise<void> {
  await db.update(privacyRequests).set({ receipt }).where(eq(privacyRequests.id, id)).run();
}

const OPEN_STATUSES: PrivacyRequestStatus[] = ['unverified', 'open', 'in-progress'];

/** The compliance queue: open requests first, overdue first, then by due date; closed ones after. */
export async function requestQueue(
  db: Db,
  filter: { status?: 'open' | 'closed' | 'all'; limit?: number } = {},
) {
  const where =
    filter.status === 'open'
      ? inArray(privacyRequests.status, OPEN_STATUSES)
      : filter.status === 'closed'
        ? inArray(privacyRequests.status, ['completed', 'rejected'])
        : undefined;
  return await db
    .select({ request: privacyRequests, customerName: customers.name, customerStatus: customers.status })
    .from(privacyRequests)
    .leftJoin(customers, eq(customers.id, privacyRequests.customerId))
    .where(where)
    .orderBy(
      sql`CASE WHEN ${privacyRequests.status} IN ('unverified','open','in-progress') THEN 0 ELSE 1 END`,
      asc(privacyRequests.dueAt),
    )
    .limit(filter.limit ?? 200)
    .all();
}

export async function requestsOfCustomer(db: Db, customerId: number): Promise<PrivacyRequestRow[]> {
  return await db
    .select()
    .from(privacyRequests)
    .where(eq(privacyRequests.customerId, customerId))
    .orderBy(desc(privacyRequests.id))
    .all();
}

export async function auditTrailOf(db: Db, targetType: string, targetId: number) {
  return await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, targetType), eq(auditLog.targetId, String(targetId))))
    .orderBy(asc(auditLog.id))
    .all();
}
