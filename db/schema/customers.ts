import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CUSTOMER_STATUSES } from '../../lib/vocabulary/customers';
import { createdAt, id, json, timestamp } from './_columns';

export const customers = sqliteTable(
  'customers',
  {
    id: id(),
    externalId: text('external_id'),
    /** Lower-cased; null once erased. */
    email: text('email'),
    name: text('name').notNull().default(''),
    locale: text('locale').notNull().default('en'),
    timeZone: text('time_zone').notNull().default('UTC'),
    attributes: json('attributes').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: CUSTOMER_STATUSES }).notNull().default('active'),
    mergedIntoId: integer('merged_into_id'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at'),
  },
  (t) => [uniqueIndex('customers_external_id').on(t.externalId), uniqueIndex('customers_email').on(t.email)],
);

export const events = sqliteTable(
  'events',
  {
    id: id(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    name: text('name').notNull(),
    properties: json('properties').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp('occurred_at').notNull(),
    receivedAt: createdAt(),
  },
  (t) => [index('events_customer_name').on(t.customerId, t.name, t.occurredAt)],
);

/** Keyed hash of an erased address: stops re-import until the person signs up again. */
export const tombstones = sqliteTable('tombstones', {
  id: id(),
  emailHash: text('email_hash').notNull().unique(),
  reason: text('reason').notNull(),
  createdAt: createdAt(),
});
