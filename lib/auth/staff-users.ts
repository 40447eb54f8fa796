import { z } from 'zod';
import { ROLES } from '@/lib/vocabulary';
import { findUserById, signInSsoUser, upsertUser, updateUser } from '@/db/store/users';
import { recordAudit } from '@/db/store/audit';
import { hashPassword } from './password';
import type { StaffUser } from './roles';
import { decideSsoSignIn, ssoConfig, type SsoRefusal } from './sso';
import { err, ok, type Result } from '@/lib/result';

export const newStaffUserSchema = z.object({
  email: z.string().trim().toLowerCase().email('Enter a valid email address').max(320),
  name: z.string().trim().max(200).default(''),
  role: z.enum(ROLES),
  password: z.string().min(10, 'At least 10 characters').max(200),
});

/** Creates or updates a staff user; the value is the confirmation to show. */
export async function createOrUpdateStaffUser(actor: StaffUser, input: unknown): Promise<Result<string>> {
  const parsed = newStaffUserSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err('invalid_field', issue?.message ?? 'Invalid input', { field: issue?.path.join('.') });
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
  return ok(created ? `Created ${user.email}` : `Updated ${user.email}`);
}

export async function changeStaffUser(
  actor: StaffUser,
  input: { userId: number; role?: string; disabled?: boolean },
): Promise<Result<string>> {
  const role = input.role === undefined ? undefined : z.enum(ROLES).safeParse(input.role);
  if (role && !role.success) return err('invalid_field', 'Unknown role', { field: 'role' });
  if (input.userId === actor.id)
    return err('forbidden', 'You cannot change your own role or disable yourself.');
  const target = await findUserById(input.userId);
  if (!target) return err('not_found', 'No such user');
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
  return ok(`Updated ${target.email}`);
}

export type SsoSignInResult =
  | { ok: true; user: StaffUser; sessionVersion: number; created: boolean }
  | { ok: false; reason: SsoRefusal | 'disabled' | 'off' };

/**
 * A staff member coming back from the identity provider (the ID token's claims): checked against
 * the allowed domains and the role map (lib/auth/sso), then created on the first sign-in with the
 * mapped role, or signed in (the provider's role replacing a different one). Refusals are audited
 * with the reason only.
 */
export async function signInWithSso(profile: unknown): Promise<SsoSignInResult> {
  const config = ssoConfig();
  if (!config) return { ok: false, reason: 'off' };
  const decision = decideSsoSignIn(profile, config);
  if (!decision.ok) {
    await recordAudit({
      actorType: 'system',
      action: 'login.failed',
      details: { method: 'sso', reason: decision.reason },
    });
    return decision;
  }
  const result = await signInSsoUser(decision);
  if (!result.ok) return result;
  const { user } = result;
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    sessionVersion: user.sessionVersion,
    created: result.created,
  };
}

/** The users page's list. */
export { listUsers } from '@/db/store/users';
