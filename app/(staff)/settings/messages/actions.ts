'use server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { parseForm } from '@/app/_lib/form';
import { requirePermission } from '@/app/_lib/session';
import { workspaceLayoutSchema } from '@/lib/messages/layout';
import {
  saveTestAddresses,
  saveWorkspaceLayout,
  testAddressesSchema,
} from '@/lib/messages/workspace-settings';
import { ok, type Result } from '@/lib/result';

export type SettingsFormState = Result<{ message: string }> | null;

// Server actions carry Next's origin check against CSRF; the role is checked again on every call.
export async function saveLayoutAction(
  _previous: SettingsFormState,
  form: FormData,
): Promise<SettingsFormState> {
  const staff = await requirePermission('messages:design');
  const parsed = parseForm(workspaceLayoutSchema, form);
  if (!parsed.ok) return parsed;
  await saveWorkspaceLayout(staff, parsed.value);
  revalidatePath('/settings/messages');
  return ok({ message: 'Layout saved: every mail from now on uses it.' });
}

/** One address per line (or separated by commas). */
const addressesForm = z.strictObject({
  addresses: z
    .string()
    .max(20_000)
    .transform((text) =>
      text
        .split(/[\s,;]+/)
        .map((address) => address.trim())
        .filter(Boolean),
    )
    .pipe(testAddressesSchema),
});

export async function saveTestAddressesAction(
  _previous: SettingsFormState,
  form: FormData,
): Promise<SettingsFormState> {
  const staff = await requirePermission('messages:design');
  const parsed = parseForm(addressesForm, form);
  if (!parsed.ok) return parsed;
  const saved = await saveTestAddresses(staff, parsed.value.addresses);
  if (!saved.ok) return saved;
  revalidatePath('/settings/messages');
  return ok({
    message: `${saved.value.length} test address${saved.value.length === 1 ? '' : 'es'} saved.`,
  });
}
