import { desc, eq, and } from 'drizzle-orm';
import { getDb, sqlAll, type Db, type SqlParams } from '../client';
import { auditLog } from '../schema';
import { requestContext } from '@/lib/config/log';

export type AuditEntry = {
  actorType: 'user' | 'api_key' | 'customer' | 'system';
  actorId?: string | number | null;
  action: string;
  targetType?: string;
  targetId?: string | number | null;
  /** Ids, counts and reasons only: the audit log must never hold personal data. */
  details?: Record<string, unknown>;
};

/**
 * Writes the entry in the caller's transaction (recordAudit writes it on its own). Inside a request
 * it also records how the change came (`via`: ui or api), the request id and the client's network
 * (IPv4 /24, IPv6 /48: where from, without the full address).
 */
export async function insertAudit(db: Db, entry: AuditEntry): Promise<void> {
  const context = requestContext();
  let details = entry.details ?? null;
  if (context) {
    context.audited = true;
    details = {
      ...details,
      via: context.apiKeyId !== undefined ? 'api' : context.userId !== undefined ? 'ui' : 'web',
      requestId: context.requestId,
      ...(context.network ? { network: context.network } : {}),
    };
  }
  await db
    .insert(auditLog)
    .values({
      actorType: entry.actorType,
      actorId: entry.actorId == null ? null : String(entry.actorId),
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId == null ? null : String(entry.targetId),
      details,
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

export type AuditSearch = {
  actorType?: string;
  actorId?: string;
  /** Actions starting with this text ('journey.' finds every journey action). */
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Entries older than this id (the next page). */
  beforeId?: number;
  limit?: number;
};

export type AuditTrailRow = {
  id: number;
  at: number;
  actorType: string;
  actorId: string | null;
  /** The staff member's name or the API key's name (never a mail address). */
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
};

/** The audit trail, newest first, with who acted by name (Audit log page and its CSV export). */
export async function searchAudit(filter: AuditSearch): Promise<AuditTrailRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (filter.actorType) add('a.actor_type = ?', filter.actorType);
  if (filter.actorId) add('a.actor_id = ?', filter.actorId);
  if (filter.action) add(`a.action LIKE ? ESCAPE '\\'`, `${filter.action.replace(/[\\%_]/g, '\\$&')}%`);
  if (filter.targetType) add('a.target_type = ?', filter.targetType);
  if (filter.targetId) add('a.target_id = ?', filter.targetId);
  if (filter.from) add('a.created_at >= ?', filter.from.getTime());
  if (filter.to) add('a.created_at < ?', filter.to.getTime());
  if (filter.beforeId) add('a.id < ?', filter.beforeId);
  params.push(Math.min(filter.limit ?? 100, 10_000));
  const rows = await sqlAll<{
    id: number;
    at: number;
    actor_type: string;
    actor_id: string | null;
    user_name: string | null;
    key_name: string | null;
    action: string;
    target_type: string | null;
    target_id: string | null;
    details: string | null;
  }>(
    getDb(),
    `SELECT a.id, a.created_at AS at, a.actor_type, a.actor_id, u.name AS user_name, k.name AS key_name,
            a.action, a.target_type, a.target_id, a.details
       FROM audit_log a
       LEFT JOIN users u ON a.actor_type = 'user' AND CAST(u.id AS TEXT) = a.actor_id
       LEFT JOIN api_keys k ON a.actor_type = 'api_key' AND CAST(k.id AS TEXT) = a.actor_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY a.id DESC LIMIT ?`,
    params as SqlParams,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    at: Number(row.at),
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorName:
      row.actor_type === 'user' ? row.user_name || null : row.actor_type === 'api_key' ? row.key_name : null,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
  }));
}
