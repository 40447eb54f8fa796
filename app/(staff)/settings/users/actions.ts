'use server';
import { revalidatePath } from 'next/cache';
import { requirePermission } from '@/app/_lib/session';
import { changeStaffUser, createOrUpdateStaffUser, type Result } from '@/lib/auth/staff-users';

// Server actions carry Next's own origin check against CSRF; the role is checked again here.
export async function saveUserAction(_previous: Result | null, form: FormData): Promise<Result> {
  const actor = await requirePermission('users:manage');
  const result = await createOrUpdateStaffUser(actor, Object.fromEntries(form));
  if (result.ok) revalidatePath('/settings/users');
  return result;
}

export async function changeUserAction(form: FormData): Promise<void> {
  const actor = await requirePermission('users:manage');
  const disabled = form.get('disabled');
  await changeStaffUser(actor, {
    userId: Number(form.get('userId')),
    role: form.get('role')?.toString() || undefined,
    disabled: disabled === null ? undefined : disabled === 'true',
  });
  revalidatePath('/settings/users');
}
