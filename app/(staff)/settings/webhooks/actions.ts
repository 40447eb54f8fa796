'use server';
import { revalidatePath } from 'next/cache';
import { formRefusal } from '@/app/_lib/form';
import { requirePermission } from '@/app/_lib/session';
import { ok, type Result } from '@/lib/result';
import {
  createWebhook,
  createWebhookSchema,
  replayDelivery,
  setWebhookEnabled,
} from '@/lib/webhooks/subscriptions';

export type CreateWebhookState = Result<{ secret: string }> | null;

// Server actions carry Next's origin check against CSRF; the role is checked again here.
export async function createWebhookAction(
  _previous: CreateWebhookState,
  form: FormData,
): Promise<CreateWebhookState> {
  const staff = await requirePermission('settings:manage');
  const parsed = createWebhookSchema.safeParse({
    name: form.get('name')?.toString() ?? '',
    url: form.get('url')?.toString() ?? '',
    events: form.getAll('events').map(String),
  });
  if (!parsed.success) return formRefusal(parsed.error.issues[0]?.message ?? 'Check the form');
  const created = await createWebhook(parsed.data, staff);
  if (!created.ok) return created;
  revalidatePath('/settings/webhooks');
  return ok({ secret: created.value.secret });
}

export async function toggleWebhookAction(form: FormData): Promise<void> {
  const staff = await requirePermission('settings:manage');
  await setWebhookEnabled(Number(form.get('webhookId')), form.get('active') === 'true', staff);
  revalidatePath('/settings/webhooks');
}

export async function replayDeliveryAction(form: FormData): Promise<void> {
  const staff = await requirePermission('settings:manage');
  await replayDelivery(Number(form.get('deliveryId')), staff);
  revalidatePath('/settings/webhooks');
}
