import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';
import { CUSTOMER_STATUSES } from '../../lib/vocabulary/customers';

/**
 * Number of customers per status, kept exact by SQLite triggers on `customers` (migration
 * 0002+ "customer_status_counts"), so Mission Control's "not yet asked" needs no count(*) scan
 * over a million customers — whichever process or code path inserts, erases or deletes them.
 */
export const customerStatusCounts = sqliteTable('customer_status_counts', {
  status: text('status', { enum: CUSTOMER_STATUSES }).primaryKey(),
  count: integer('count').notNull().default(0),
});

/**
 * A version number per table that triggers bump on every insert, update or delete (migration
 * "change_versions"). Mission Control caches aggregates over contact_blocks under this version:
 * one primary-key read tells whether the cached figures are still exact.
 */
export const changeVersions = sqliteTable('change_versions', {
  name: text('name').primaryKey(),
  version: integer('version').notNull().default(0),
});
