import { asc, eq, sql } from 'drizzle-orm';
import { getDb } from '../client';
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
