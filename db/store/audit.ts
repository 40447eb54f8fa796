import { desc, eq, and } from 'drizzle-orm';
import { getDb, type Db } from '../client';
import { auditLog } from '../schema';

export type AuditEntry = {
  actorType: 'user' | 'api_key' | 'customer' | 'system';
  actorId?: string | number | null;
  action: string;
  targetType?: string;
  targetId?: string | number | null;
  /** Ids, counts and reasons only: the audit log must never hold personal data. */
  details?: Record<string, unknown>;
};

/** Writes the entry in the caller's transaction (recordAudit writes it on its own). */
export async function insertAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insert(auditLog)
    .values({
      actorType: entry.actorType,
      actorId: entry.actorId == null ? null : String(entry.actorId),
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId == null ? null : String(entry.targetId),
      details: entry.details ?? null,
    })
    .run();
}

export async function recordAudit(entry: AuditEntry): Promise<void> {
  await insertAudit(getDb(), entry);
}

export async function listAudit(filter: { targetType?: string; targetId?: string; limit?: number } = {}) {
  const conditions = [];
  if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  return await getDb()
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(filter.limit ?? 100)
    .all();
}
