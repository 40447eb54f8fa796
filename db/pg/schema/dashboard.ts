import { pgTable, integer, text } from 'drizzle-orm/pg-core';
import { CUSTOMER_STATUSES } from '../../schema/customers';

/** Customers per status, kept exact by triggers on `customers` (migration 0003). */
export const customerStatusCounts = pgTable('customer_status_counts', {
  status: text('status', { enum: CUSTOMER_STATUSES }).primaryKey(),
  count: integer('count').notNull().default(0),
});
