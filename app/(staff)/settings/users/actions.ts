'use server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formId, parseForm } from '@/app/_lib/form';
import { requirePermission } from '@/app/_lib/session';
import { changeStaffUser, createOrUpdateStaffUser, newStaffUserSchema } from '@/lib/auth/staff-users';
import type { Result } from '@/lib/result';

export type SaveUserState = Result<string> | null;

// Server actions carry Next's own origin check against CSRF; the role is checked again here.
export async function saveUserAction(_previous: SaveUserState, form: FormData): Promise<SaveUserState> {
  const actor = await requirePermission('users:manage');
  const input = parseForm(newStaffUserSchema, form);
  if (!input.ok) return input;
  const result = await createOrUpdateStaffUser(actor, input.value);
  if (result.ok) revalidatePath('/settings/users');
  return result;
}

const changeUserForm = z.object({
  userId: formId,
  role: z.string().max(50).optional(),
  disabled: z.enum(['true', 'false']).optional(),
});

export async function changeUserAction(form: FormData): Promise<void> {
  const actor = await requirePermission('users:manage');
  const input = parseForm(changeUserForm, form);
  if (!input.ok) return;
  await changeStaffUser(actor, {
    userId: input.value.userId,
    role: input.value.role || undefined,
    disabled: input.value.disabled === undefined ? undefined : input.value.disabled === 'true',
  });
  revalidatePath('/settings/users');
}
