import { z } from 'zod';
import { ROLES } from '@/lib/vocabulary';
import { findUserById, upsertUser, updateUser } from '@/db/store/users';
import { recordAudit } from '@/db/store/audit';
import { hashPassword } from './password';
import type { StaffUser } from './roles';

export const newStaffUserSchema = z.object({
  email: z.string().trim().toLowerCase().email('Enter a valid email address').max(320),
  name: z.string().trim().max(200).default(''),
  role: z.enum(ROLES),
  password: z.string().min(10, 'At least 10 characters').max(200),
});

export type Result = { ok: true; message: string } | { ok: false; field?: string; message: string };

export async function createOrUpdateStaffUser(actor: StaffUser, input: unknown): Promise<Result> {
  const parsed = newStaffUserSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, field: issue?.path.join('.'), message: issue?.message ?? 'Invalid input' };
  }
  const { password, ...rest } = parsed.data;
  const { user, created } = await upsertUser({ ...rest, passwordHash: await hashPassword(password) });
  await recordAudit({
    actorType: 'user',
    actorId: actor.id,
    action: created ? 'user.created' : 'user.updated',
    targetType: 'user',
    targetId: user.id,
    details: { role: user.role },
  });
  return { ok: true, message: created ? `Created ${user.email}` : `Updated ${user.email}` };
}

export async function changeStaffUser(
  actor: StaffUser,
  input: { userId: number; role?: string; disabled?: boolean },
): Promise<Result> {
  const role = input.role === undefined ? undefined : z.enum(ROLES).safeParse(input.role);
  if (role && !role.success) return { ok: false, field: 'role', message: 'Unknown role' };
  if (input.userId === actor.id)
    return { ok: false, message: 'You cannot change your own role or disable yourself.' };
  const target = await findUserById(input.userId);
  if (!target) return { ok: false, message: 'No such user' };
  await updateUser(target.id, {
    ...(role ? { role: role.data } : {}),
    ...(input.disabled === undefined ? {} : { disabled: input.disabled }),
  });
  await recordAudit({
    actorType: 'user',
    actorId: actor.id,
    action: 'user.changed',
    targetType: 'user',
    targetId: target.id,
    details: { role: role?.data, disabled: input.disabled },
  });
  return { ok: true, message: `Updated ${target.email}` };
}

/** The users page's list. */
export { listUsers } from '@/db/store/users';
