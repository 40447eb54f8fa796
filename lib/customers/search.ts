import { z } from 'zod';
import { searchActiveCustomers, type CustomerMatch } from '@/db/store/vocabulary';

export const customerSearchQuery = z.object({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** The customer picker of test mode and the live view: a few matches, never the whole list. */
export async function findCustomersForPicker(
  input: z.infer<typeof customerSearchQuery>,
): Promise<CustomerMatch[]> {
  return await searchActiveCustomers(input.q, input.limit);
}
