import { desc, eq, and, type SQL } from 'drizzle-orm';
import { getDb } from '../client';
import { outbox } from '../schema';

/** The built-in outbox as admins see it: newest mail first. */
export async function listOutboxMail(filter: { status?: string; limit?: number } = {}) {
  const conditions: SQL[] = [eq(outbox.kind, 'email')];
  if (filter.status) conditions.push(eq(outbox.status, filter.status as 'queued'));
  return await getDb()
    .select({
      id: outbox.id,
      category: outbox.category,
      toAddress: outbox.toAddress,
      subject: outbox.subject,
      bodyText: outbox.bodyText,
      headers: outbox.headers,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      cancelReason: outbox.cancelReason,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .where(and(...conditions))
    .orderBy(desc(outbox.id))
    .limit(filter.limit ?? 100)
    .all();
}
