import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { authOptions } from '@/lib/auth/next-auth';
import { loginPathFor, REQUEST_PATH_HEADER } from '@/lib/auth/login-form';
import { can, type Permission, type StaffUser } from '@/lib/auth/roles';

export async function currentStaff(): Promise<StaffUser | null> {
  const session = (await getServerSession(authOptions())) as { staff?: StaffUser | null } | null;
  return session?.staff ?? null;
}

/**
 * No staff member behind this request: on to the sign-in page, which returns to the address asked
 * for (proxy.ts hands it over). proxy.ts already sends a request without a session cookie there;
 * this is for a cookie the database no longer accepts (a deleted or disabled account, signed out
 * elsewhere, a changed role). A redirect, not Next's `unauthorized()`: that one is drawn only in
 * the browser, so without JavaScript the page was blank.
 */
export async function toSignIn(): Promise<never> {
  const asked = (await headers()).get(REQUEST_PATH_HEADER) ?? '/';
  redirect(loginPathFor(asked.startsWith('/') && !asked.startsWith('//') ? asked : '/'));
}

/** For pages and server actions: the sign-in page without a session, 403 without the permission. */
export async function requirePermission(permission: Permission): Promise<StaffUser> {
  const staff = await currentStaff();
  if (!staff) return await toSignIn();
  if (!can(staff.role, permission)) forbidden();
  return staff;
}

export async function requireStaff(): Promise<StaffUser> {
  return (await currentStaff()) ?? (await toSignIn());
}
