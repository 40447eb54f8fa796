import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { demoCustomers } from '@/lib/demo/customers';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';

/** Demo purposes (with themes and notices) and a few customers in the test database. */
export async function seedPrivacyFixtures(customerCount = 5) {
  const purposes = await insertPurposes(DEMO_PURPOSES);
  const customers = await insertCustomers(demoCustomers(customerCount, 99));
  return { purposes, customers };
}
