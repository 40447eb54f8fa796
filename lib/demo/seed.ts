import { generatePassword, hashPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/auth/roles';
import { upsertUser } from '@/db/store/users';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { demoCustomers } from './customers';
import { DEMO_PURPOSES } from './purposes';
import { seedDemoConsents } from './seed-consents';
import { seedDemoJourneys } from './seed-journeys';
import { ingestEvents } from '@/lib/customers/events';

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
export async function seedDemoWorkspace(
  options: { password?: string; customerCount?: number; activity?: boolean } = {},
): Promise<SeedResult> {
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
  if (options.activity ?? true) await seedDemoActivity(customers.slice(-DEMO_SIGNUPS).map((c) => c.id));
  return { logins, customers: customers.length };
}

const DEMO_SIGNUPS = 40;

/**
 * A few sign-up events, so the live journey has customers moving through it when the demo
 * opens (the worker runs them; mail goes to the built-in outbox unless SMTP_URL is set).
 */
async function seedDemoActivity(customerIds: number[]): Promise<void> {
  const now = Date.now();
  const result = await ingestEvents(
    customerIds.map((customerId, i) => ({
      customerId,
      name: 'signed-up',
      properties: { source: 'demo' },
      occurredAt: new Date(now - i * 60_000).toISOString(),
    })),
  );
  if (!result.ok) throw new Error(`demo activity: ${result.error.message}`);
}
