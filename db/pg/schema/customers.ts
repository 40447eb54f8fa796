import { pgTable, integer, text, jsonb, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { CUSTOMER_STATUSES } from '../../schema/customers';
import { createdAt, timestamp } from './_columns';

export const customers = pgTable(
  'customers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    externalId: text('external_id'),
    email: text('email'),
    name: text('name').notNull().default(''),
    locale: text('locale').notNull().default('en'),
    timeZone: text('time_zone').notNull().default('UTC'),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: CUSTOMER_STATUSES }).notNull().default('active'),
    mergedIntoId: integer('merged_into_id'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at'),
  },
  (t) => [uniqueIndex('customers_external_id').on(t.externalId), uniqueIndex('customers_email').on(t.email)],
);

export const events = pgTable(
  'events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    name: text('name').notNull(),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp('occurred_at').notNull(),
    receivedAt: createdAt(),
  },
  (t) => [index('events_customer_name').on(t.customerId, t.name, t.occurredAt)],
);

export const tombstones = pgTable('tombstones', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  emailHash: text('email_hash').notNull().unique(),
  reason: text('reason').notNull(),
  createdAt: createdAt(),
});
