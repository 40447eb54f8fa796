import { getServerSession } from 'next-auth';
import { forbidden, unauthorized } from 'next/navigation';
import { authOptions } from '@/lib/auth/next-auth';
import { can, type Permission, type StaffUser } from '@/lib/auth/roles';

export async function currentStaff(): Promise<StaffUser | null> {
  const session = (await getServerSession(authOptions())) as { staff?: StaffUser | null } | null;
  return session?.staff ?? null;
}

/** For pages and server actions: 401 (login form) without a session, 403 without the permission. */
export async function requirePermission(permission: Permission): Promise<StaffUser> {
  const staff = await currentStaff();
  if (!staff) unauthorized();
  if (!can(staff.role, permission)) forbidden();
  return staff;
}

export async function requireStaff(): Promise<StaffUser> {
  const staff = await currentStaff();
  if (!staff) unauthorized();
  return staff;
}
