import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { outbox } from '../schema';
import { signalWork } from '../work-signal';

/** Queues one mail in the transactional outbox (the dispatcher delivers it). */
export async function insertOutboxMail(
  db: Db,
  row: {
    idempotencyKey: string;
    category: string;
    customerId: number | null;
    purposeId?: number | null;
    themeKey?: string | null;
    enrollmentId?: number | null;
    toAddress: string;
    subject: string;
    bodyText: string;
    bodyHtml: string;
    headers?: Record<string, string>;
    now: Date;
  },
): Promise<number> {
  const id = (
    await db
      .insert(outbox)
      .values({
        kind: 'email',
        idempotencyKey: row.idempotencyKey,
        category: row.category,
        customerId: row.customerId,
        purposeId: row.purposeId ?? null,
        themeKey: row.themeKey ?? null,
        enrollmentId: row.enrollmentId ?? null,
        toAddress: row.toAddress,
        subject: row.subject,
        bodyText: row.bodyText,
        bodyHtml: row.bodyHtml,
        headers: row.headers ?? null,
        nextAttemptAt: row.now.getTime(),
        createdAt: row.now,
      })
      .returning({ id: outbox.id })
      .get()
  ).id;
  await signalWork(db);
  return id;
}

export async function insertOutboxWebhook(
  db: Db,
  row: { idempotencyKey: string; webhookId: number; customerId: number | null; payload: unknown; now: Date },
): Promise<number> {
  const id = (
    await db
      .insert(outbox)
      .values({
        kind: 'webhook',
        category: 'transfer',
        idempotencyKey: row.idempotencyKey,
        webhookId: row.webhookId,
        customerId: row.customerId,
        payload: row.payload,
        nextAttemptAt: row.now.getTime(),
        createdAt: row.now,
      })
      .returning({ id: outbox.id })
      .get()
  ).id;
  await signalWork(db);
  return id;
}

export async function messagesOf(db: Db, customerId: number) {
  return await db
    .select({
      id: outbox.id,
      category: outbox.category,
      purposeId: outbox.purposeId,
      themeKey: outbox.themeKey,
      subject: outbox.subject,
      status: outbox.status,
      cancelReason: outbox.cancelReason,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .where(and(eq(outbox.customerId, customerId), eq(outbox.kind, 'email')))
    .all();
}

/**
 * Erasure: every outbox row for the customer (or addressed to, or mentioning, the address) loses
 * address, subject, bodies, headers and payload; queued ones are cancelled. Rows of purposes
 * under a retention duty are kept as they are (restricted, not erased).
 */
export async function eraseOutboxOf(
  db: Db,
  customerId: number,
  address: string | null,
  keepPurposeIds: number[],
): Promise<number> {
  // Ordinary webhook events carry ids only and must still reach the CRM; mail and transfers carry data.
  const carriesData = or(eq(outbox.kind, 'email'), eq(outbox.category, 'transfer'));
  const pattern = address ? `%${escapeLike(address)}%` : null;
  const byCustomer = and(eq(outbox.customerId, customerId), carriesData);
  const match = pattern
    ? or(
        byCustomer,
        eq(outbox.toAddress, address as string),
        // lower() on both sides: LIKE is case-insensitive on SQLite but not on PostgreSQL; the
        // CAST reads the payload (jsonb on PostgreSQL) as text.
        sql`lower(${outbox.bodyText}) LIKE lower(${pattern}) ESCAPE '\\'`,
        sql`lower(${outbox.bodyHtml}) LIKE lower(${pattern}) ESCAPE '\\'`,
        sql`lower(CAST(${outbox.payload} AS TEXT)) LIKE lower(${pattern}) ESCAPE '\\'`,
      )
    : byCustomer;
  const rows = await db
    .select({ id: outbox.id, purposeId: outbox.purposeId, status: outbox.status })
    .from(outbox)
    .where(match)
    .all();
  const erase = rows.filter((r) => r.purposeId == null || !keepPurposeIds.includes(r.purposeId));
  const cancelIds = erase.filter((r) => r.status === 'queued').map((r) => r.id);
  for (let i = 0; i < cancelIds.length; i += 500) {
    await db
      .update(outbox)
      .set({ status: 'cancelled', cancelReason: 'customer erased' })
      .where(inArray(outbox.id, cancelIds.slice(i, i + 500)))
      .run();
  }
  const ids = erase.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .update(outbox)
      .set({
        toAddress: null,
        subject: null,
        bodyText: null,
        bodyHtml: null,
        headers: null,
        payload: null,
        lastError: null,
      })
      .where(inArray(outbox.id, ids.slice(i, i + 500)))
      .run();
  }
  return ids.length;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
