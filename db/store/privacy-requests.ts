import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import {
  auditLog,
  customers,
  privacyRequests,
  PRIVACY_REQUEST_KINDS,
  PRIVACY_REQUEST_STATUSES,
} from '../schema';

export type PrivacyRequestRow = typeof privacyRequests.$inferSelect;
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];
export type PrivacyRequestStatus = (typeof PRIVACY_REQUEST_STATUSES)[number];
export type PrivacyRequestSource = PrivacyRequestRow['source'];

export function insertPrivacyRequest(
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
): PrivacyRequestRow {
  return db.insert(privacyRequests).values(row).returning().get();
}

export function privacyRequestById(db: Db, id: number): PrivacyRequestRow | undefined {
  return db.select().from(privacyRequests).where(eq(privacyRequests.id, id)).get();
}

export function updatePrivacyRequest(
  db: Db,
  id: number,
  patch: Partial<Omit<PrivacyRequestRow, 'id'>>,
): void {
  db.update(privacyRequests).set(patch).where(eq(privacyRequests.id, id)).run();
}

export function setRequestReceipt(db: Db, id: number, receipt: Record<string, unknown>): void {
  db.update(privacyRequests).set({ receipt }).where(eq(privacyRequests.id, id)).run();
}

const OPEN_STATUSES: PrivacyRequestStatus[] = ['unverified', 'open', 'in-progress'];

/** The compliance queue: open requests first, overdue first, then by due date; closed ones after. */
export function requestQueue(db: Db, filter: { status?: 'open' | 'closed' | 'all'; limit?: number } = {}) {
  const where =
    filter.status === 'open'
      ? inArray(privacyRequests.status, OPEN_STATUSES)
      : filter.status === 'closed'
        ? inArray(privacyRequests.status, ['completed', 'rejected'])
        : undefined;
  return db
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

export function requestsOfCustomer(db: Db, customerId: number): PrivacyRequestRow[] {
  return db
    .select()
    .from(privacyRequests)
    .where(eq(privacyRequests.customerId, customerId))
    .orderBy(desc(privacyRequests.id))
    .all();
}

export function auditTrailOf(db: Db, targetType: string, targetId: number) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, targetType), eq(auditLog.targetId, String(targetId))))
    .orderBy(asc(auditLog.id))
    .all();
}
