import crypto from 'node:crypto';
import { z } from 'zod';
import { WEBHOOK_EVENTS } from '@/lib/vocabulary';
import { recordAudit } from '@/db/store/audit';
import { checkOutgoingUrl } from '@/lib/net/outgoing-target';
import { err, ok, type Result } from '@/lib/result';
import { insertWebhook, replayWebhookDelivery, setWebhookActive } from '@/db/store/webhooks';

export const createWebhookSchema = z.object({
  name: z.string().trim().min(1, 'Give the endpoint a name').max(100),
  url: z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL' }).max(2000),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'Choose at least one event'),
});

type StaffActor = { id: number };

export type CreateWebhookResult =
  { ok: true; id: number; secret: string } | { ok: false; field: 'url'; message: string };

/**
 * Creates a subscription; the signing secret is returned once and only kept to sign deliveries.
 * A URL whose host is or resolves to an internal address is refused here (and again at every
 * delivery, lib/net/safe-fetch), unless the operator allowed the host.
 */
export async function createWebhook(
  input: z.input<typeof createWebhookSchema>,
  actor: StaffActor,
): Promise<Result<{ id: number; secret: string }>> {
  const data = createWebhookSchema.parse(input);
  const target = await checkOutgoingUrl(data.url);
  if (!target.ok) return err('invalid_field', `Endpoint URL refused: ${target.reason}`, { field: 'url' });
  const secret = `whsec_${crypto.randomBytes(32).toString('base64url')}`;
  const row = await insertWebhook({
    ...data,
    events: [...new Set(data.events)],
    secret,
    createdBy: actor.id,
  });
  await recordAudit({
    actorType: 'user',
    actorId: actor.id,
    action: 'webhook.created',
    targetType: 'webhook',
    targetId: row.id,
    details: { events: row.events },
  });
  return ok({ id: row.id, secret });
}

export async function setWebhookEnabled(id: number, active: boolean, actor: StaffActor): Promise<boolean> {
  const done = await setWebhookActive(id, active);
  if (done)
    await recordAudit({
      actorType: 'user',
      actorId: actor.id,
      action: active ? 'webhook.enabled' : 'webhook.disabled',
      targetType: 'webhook',
      targetId: id,
    });
  return done;
}

export async function replayDelivery(deliveryId: number, actor: StaffActor): Promise<number | null> {
  const newId = await replayWebhookDelivery(deliveryId);
  if (newId)
    await recordAudit({
      actorType: 'user',
      actorId: actor.id,
      action: 'webhook.replayed',
      targetType: 'outbox',
      targetId: deliveryId,
      details: { newDeliveryId: newId },
    });
  return newId;
}

/** The settings page's lists. */
export { listWebhookDeliveries, listWebhooks } from '@/db/store/webhooks';
