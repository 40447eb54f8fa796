import { asc, eq } from 'drizzle-orm';
import { getDb } from '../client';
import { customers, testRuns } from '../schema';

/** Test runs of a journey (simulated traces) and the customers offered for them. */

export async function insertTestRun(input: {
  journeyId: number;
  createdBy: number | null;
  trace: unknown[];
}): Promise<number> {
  const row = await getDb()
    .insert(testRuns)
    .values({ journeyId: input.journeyId, createdBy: input.createdBy, trace: input.trace, simulated: true })
    .returning({ id: testRuns.id })
    .get();
  return row.id;
}

export async function listTestCustomers(
  limit = 50,
): Promise<{ id: number; name: string; email: string | null }[]> {
  return await getDb()
    .select({ id: customers.id, name: customers.name, email: customers.email })
    .from(customers)
    .where(eq(customers.status, 'active'))
    .orderBy(asc(customers.id))
    .limit(limit)
    .all();
}
