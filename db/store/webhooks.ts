import { and, desc, eq } from 'drizzle-orm';
import { getDb } from '../client';
import { outbox, webhooks } from '../schema';

export type WebhookRow = typeof webhooks.$inferSelect;

export async function insertWebhook(values: typeof webhooks.$inferInsert): Promise<WebhookRow> {
  return await getDb().insert(webhooks).values(values).returning().get();
}

export async function listWebhooks(): Promise<WebhookRow[]> {
  return await getDb().select().from(webhooks).orderBy(desc(webhooks.id)).all();
}

export async function setWebhookActive(id: number, active: boolean): Promise<boolean> {
  return (await getDb().update(webhooks).set({ active }).where(eq(webhooks.id, id)).run()).changes > 0;
}

export async function listWebhookDeliveries(filter: { webhookId?: number; limit?: number } = {}) {
  return await getDb()
    .select({
      id: outbox.id,
      webhookId: outbox.webhookId,
      payload: outbox.payload,
      status: outbox.status,
      attempts: outbox.attempts,
      nextAttemptAt: outbox.nextAttemptAt,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .where(
      and(eq(outbox.kind, 'webhook'), filter.webhookId ? eq(outbox.webhookId, filter.webhookId) : undefined),
    )
    .orderBy(desc(outbox.id))
    .limit(filter.limit ?? 100)
    .all();
}

/**
 * Replays a delivery as a new outbox row with the same payload (same event id, so a receiver
 * that did process it can ignore it); the original row stays in the log as it was.
 */
export async function replayWebhookDelivery(deliveryId: number, now = new Date()): Promise<number | null> {
  const db = getDb();
  return await db.transaction(async (tx) => {
    const original = await tx
      .select()
      .from(outbox)
      .where(and(eq(outbox.id, deliveryId), eq(outbox.kind, 'webhook')))
      .get();
    if (!original) return null;
    const row = await tx
      .insert(outbox)
      .values({
        kind: 'webhook',
        category: original.category,
        idempotencyKey: `${original.idempotencyKey}:replay:${now.getTime()}`,
        webhookId: original.webhookId,
        customerId: original.customerId,
        payload: original.payload,
        nextAttemptAt: now.getTime(),
      })
      .returning({ id: outbox.id })
      .get();
    return row.id;
  });
}
