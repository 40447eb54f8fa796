import { generatePassword, hashPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/auth/roles';
import { upsertUser } from '@/db/store/users';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { demoCustomers } from './customers';
import { DEMO_PURPOSES } from './purposes';
import { seedDemoConsents } from './seed-consents';
import { seedDemoJourneys } from './seed-journeys';

export const DEMO_STAFF: { email: string; name: string; role: Role }[] = [
  { email: 'marketer@tarmo.demo', name: 'Maija Marketer', role: 'marketer' },
  { email: 'compliance@tarmo.demo', name: 'Kalle Compliance', role: 'compliance' },
  { email: 'admin@tarmo.demo', name: 'Aada Admin', role: 'admin' },
];

export type SeedResult = { logins: { email: string; role: Role; password: string }[]; customers: number };

/**
 * Fills an empty database with the demo workspace. Passwords come from TARMO_DEMO_PASSWORD or
 * are generated here; only their hashes are stored, so they can be shown exactly once.
 */
export async function seedDemoWorkspace(options: { password?: string; customerCount?: number } = {}): Promise<SeedResult> {
  const logins: SeedResult['logins'] = [];
  let adminId: number | undefined;
  for (const staff of DEMO_STAFF) {
    const password = options.password ?? generatePassword();
    const { user } = await upsertUser({ ...staff, passwordHash: await hashPassword(password) });
    if (staff.role === 'admin') adminId = user.id;
    logins.push({ email: staff.email, role: staff.role, password });
  }
  const purposes = await insertPurposes(DEMO_PURPOSES, adminId);
  const customers = await insertCustomers(demoCustomers(options.customerCount ?? 300));
  await seedDemoConsents(customers, purposes);
  await seedDemoJourneys({ purposes, authorId: adminId });
  return { logins, customers: customers.length };
}
