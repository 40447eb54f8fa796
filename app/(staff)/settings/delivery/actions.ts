'use server';
import { revalidatePath } from 'next/cache';
import { parseForm } from '@/app/_lib/form';
import { requirePermission } from '@/app/_lib/session';
import { deliverySettingsFormSchema, saveDeliverySettings } from '@/lib/delivery/settings';
import { ok, type Result } from '@/lib/result';

export type DeliveryPolicyState = Result<{ savedAt: string }> | null;

// Server actions carry Next's origin check against CSRF; the role is checked again here and in
// saveDeliverySettings.
export async function saveDeliveryPolicyAction(
  _previous: DeliveryPolicyState,
  form: FormData,
): Promise<DeliveryPolicyState> {
  const staff = await requirePermission('settings:manage');
  const parsed = parseForm(deliverySettingsFormSchema, form);
  if (!parsed.ok) return parsed;
  const saved = await saveDeliverySettings(parsed.value, staff);
  if (!saved.ok) return saved;
  revalidatePath('/settings/delivery');
  return ok({ savedAt: new Date().toISOString() });
}
