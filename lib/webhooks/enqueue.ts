import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { outbox, webhooks } from '@/db/schema';
import { WEBHOOK_EVENTS } from '@/lib/vocabulary';
import { signalWork } from '@/db/work-signal';

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

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
  const subscribers = await db.select().from(webhooks).where(eq(webhooks.active, true)).all();
  let queued = 0;
  for (const hook of subscribers) {
    if (!hook.events.includes(type)) continue;
    const eventId = crypto.randomUUID();
    await db
      .insert(outbox)
      .values({
        kind: 'webhook',
        category: 'webhook',
        idempotencyKey: `webhook:${hook.id}:${eventId}`,
        webhookId: hook.id,
        customerId: typeof data.customerId === 'number' ? data.customerId : null,
        payload: { id: eventId, type, createdAt: now.toISOString(), data },
        nextAttemptAt: now.getTime(),
      })
      .run();
    queued++;
  }
  if (queued > 0) await signalWork(db);
  return queued;
}
