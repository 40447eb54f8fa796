import { asc, eq, sql } from 'drizzle-orm';
import { getDb, writeTransaction } from '../client';
import { insertAudit } from './audit';
import { users } from '../schema';
import { type Role } from '@/lib/vocabulary';

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(email: string): Promise<UserRow | undefined> {
  return await getDb().select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
}

export async function findUserById(id: number): Promise<UserRow | undefined> {
  return await getDb().select().from(users).where(eq(users.id, id)).get();
}

export async function listUsers(): Promise<UserRow[]> {
  return await getDb().select().from(users).orderBy(asc(users.email)).all();
}

/** Creates the user or updates role, name and password of an existing one. */
export async function upsertUser(input: {
  email: string;
  name?: string;
  role: Role;
  passwordHash: string;
}): Promise<{ user: UserRow; created: boolean }> {
  const email = input.email.trim().toLowerCase();
  const db = getDb();
  return await db.transaction(async (tx) => {
    const existing = await tx.select().from(users).where(eq(users.email, email)).get();
    if (existing) {
      const user = await tx
        .update(users)
        .set({
          role: input.role,
          name: input.name ?? existing.name,
          passwordHash: input.passwordHash,
          disabled: false,
          updatedAt: new Date(),
          // A new password (and role) ends the sessions signed in with the old ones.
          sessionVersion: sql`${users.sessionVersion} + 1`,
        })
        .where(eq(users.id, existing.id))
        .returning()
        .get();
      return { user, created: false };
    }
    const user = await tx
      .insert(users)
      .values({ email, name: input.name ?? '', role: input.role, passwordHash: input.passwordHash })
      .returning()
      .get();
    return { user, created: true };
  });
}

export async function updateUser(
  id: number,
  patch: Partial<Pick<UserRow, 'role' | 'name' | 'disabled' | 'passwordHash'>>,
): Promise<UserRow | undefined> {
  // Sessions carry the version they were signed in with; who someone is or may do changed.
  const endsSessions =
    patch.role !== undefined || patch.disabled !== undefined || patch.passwordHash !== undefined;
  return await getDb()
    .update(users)
    .set({
      ...patch,
      updatedAt: new Date(),
      ...(endsSessions ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}),
    })
    .where(eq(users.id, id))
    .returning()
    .get();
}

/** Ends every session of this user (sign-out is server-side, not only a deleted cookie). */
export async function endUserSessions(id: number): Promise<void> {
  await getDb()
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, id))
    .run();
}

export async function recordLogin(id: number): Promise<void> {
  await getDb().update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, id)).run();
}

/**
 * The password hash of an account made by single sign-on: no password verifies against it
 * (lib/auth/password verifyPassword accepts only `scrypt$…`), so it can sign in only by SSO until
 * an admin sets a password.
 */
export const NO_PASSWORD = '!sso';

export type SsoSignIn = { ok: true; user: UserRow; created: boolean } | { ok: false; reason: 'disabled' };

/**
 * A staff member signing in by single sign-on, in one transaction: created on the first sign-in
 * with the identity provider's role; later, the provider's role replaces a different one (which
 * ends their older sessions); a disabled account stays out. Audited without personal data.
 */
export async function signInSsoUser(input: { email: string; name: string; role: Role }): Promise<SsoSignIn> {
  const email = input.email.trim().toLowerCase();
  return await writeTransaction(async (db): Promise<SsoSignIn> => {
    const existing = await db.select().from(users).where(eq(users.email, email)).get();
    if (existing?.disabled) {
      await insertAudit(db, {
        actorType: 'system',
        action: 'login.failed',
        targetType: 'user',
        targetId: existing.id,
        details: { method: 'sso', reason: 'disabled' },
      });
      return { ok: false, reason: 'disabled' };
    }
    const now = new Date();
    let user: UserRow;
    if (!existing) {
      user = await db
        .insert(users)
        .values({ email, name: input.name, role: input.role, passwordHash: NO_PASSWORD, lastLoginAt: now })
        .returning()
        .get();
      await insertAudit(db, {
        actorType: 'system',
        action: 'user.created',
        targetType: 'user',
        targetId: user.id,
        details: { method: 'sso', role: user.role },
      });
    } else {
      const roleChanged = existing.role !== input.role;
      user = await db
        .update(users)
        .set({
          lastLoginAt: now,
          ...(existing.name ? {} : { name: input.name }),
          ...(roleChanged
            ? { role: input.role, updatedAt: now, sessionVersion: sql`${users.sessionVersion} + 1` }
            : {}),
        })
        .where(eq(users.id, existing.id))
        .returning()
        .get();
      if (roleChanged)
        await insertAudit(db, {
          actorType: 'system',
          action: 'user.changed',
          targetType: 'user',
          targetId: user.id,
          details: { method: 'sso', role: user.role },
        });
    }
    await insertAudit(db, {
      actorType: 'user',
      actorId: user.id,
      action: 'login.succeeded',
      details: { method: 'sso' },
    });
    return { ok: true, user, created: !existing };
  });
}
