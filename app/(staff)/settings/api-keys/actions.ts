'use server';
import { revalidatePath } from 'next/cache';
import { formRefusal } from '@/app/_lib/form';
import { requirePermission } from '@/app/_lib/session';
import { ok, type Result } from '@/lib/result';
import { createApiKey, createApiKeySchema, revokeKey } from '@/lib/auth/api-keys';

export type CreateKeyState = Result<{ key: string; name: string }> | null;

// Server actions carry Next's origin check against CSRF; the role is checked again here.
export async function createKeyAction(_previous: CreateKeyState, form: FormData): Promise<CreateKeyState> {
  const staff = await requirePermission('apikeys:manage');
  const expires = form.get('expiresAt')?.toString();
  const parsed = createApiKeySchema.safeParse({
    name: form.get('name')?.toString() ?? '',
    scopes: form.getAll('scopes').map(String),
    expiresAt: expires ? `${expires}T23:59:59Z` : undefined,
  });
  if (!parsed.success) return formRefusal(parsed.error.issues[0]?.message ?? 'Check the form');
  const created = await createApiKey(parsed.data, { type: 'user', id: staff.id });
  revalidatePath('/settings/api-keys');
  return ok({ key: created.key, name: created.name });
}

export async function revokeKeyAction(form: FormData): Promise<void> {
  const staff = await requirePermission('apikeys:manage');
  const id = Number(form.get('keyId'));
  if (Number.isInteger(id) && id > 0) await revokeKey(id, { type: 'user', id: staff.id });
  revalidatePath('/settings/api-keys');
}
