import { pgTable, integer, text } from 'drizzle-orm/pg-core';
import { CUSTOMER_STATUSES } from '../../schema/customers';

/** Customers per status, kept exact by triggers on `customers` (migration 0003). */
export const customerStatusCounts = pgTable('customer_status_counts', {
  status: text('status', { enum: CUSTOMER_STATUSES }).primaryKey(),
  count: integer('count').notNull().default(0),
});

/** Per-table version bumped by triggers (migration 0005), so Mission Control can cache block aggregates. */
export const changeVersions = pgTable('change_versions', {
  name: text('name').primaryKey(),
  version: integer('version').notNull().default(0),
});
