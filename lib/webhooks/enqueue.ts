import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { outbox, webhooks } from '@/db/schema';
import { WEBHOOK_EVENTS } from '@/lib/vocabulary';
import { signalWork } from '@/db/work-signal';

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** Outbox rows per INSERT: 25 columns each, 12,500 variables, below either store's limit (SQLite 32,766). */
const ROWS_PER_INSERT = 500;

/**
 * Queues one outbox row per active subscription to this event type, inside the caller's
 * transaction, so a CRM hears about a change if and only if the change committed.
 * Payloads carry ids and states, never more personal data than the receiver needs.
 */
export async function enqueueWebhookEvent(
  db: Db,
  type: WebhookEventType,
  data: Record<string, unknown>,
  now = new Date(),
): Promise<number> {
  return await enqueueWebhookEvents(db, type, [data], now);
}

/**
 * enqueueWebhookEvent for many events of one type (a batch of ledger appends): the subscriptions
 * are read once and the rows inserted together, in the order of the events.
 */
export async function enqueueWebhookEvents(
  db: Db,
  type: WebhookEventType,
  events: readonly Record<string, unknown>[],
  now = new Date(),
): Promise<number> {
  if (events.length === 0) return 0;
  const subscribers = (await db.select().from(webhooks).where(eq(webhooks.active, true)).all()).filter(
    (hook) => hook.events.includes(type),
  );
  if (subscribers.length === 0) return 0;
  const rows = events.flatMap((data) =>
    subscribers.map((hook) => {
      const eventId = crypto.randomUUID();
      return {
        kind: 'webhook' as const,
        category: 'webhook',
        idempotencyKey: `webhook:${hook.id}:${eventId}`,
        webhookId: hook.id,
        customerId: typeof data.customerId === 'number' ? data.customerId : null,
        payload: { id: eventId, type, createdAt: now.toISOString(), data },
        nextAttemptAt: now.getTime(),
      };
    }),
  );
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
    await db
      .insert(outbox)
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .run();
  await signalWork(db);
  return rows.length;
}
