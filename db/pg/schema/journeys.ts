import { pgTable, integer, text, jsonb, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { ENROLLMENT_STATES, JOURNEY_STATUSES } from '../../schema/journeys';
import { bool, createdAt, ms, timestamp } from './_columns';
import { users } from './auth';
import { customers } from './customers';

export const journeys = pgTable('journeys', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull(),
  status: text('status', { enum: JOURNEY_STATUSES }).notNull().default('draft'),
  liveVersionId: integer('live_version_id'),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at'),
  updatedBy: integer('updated_by').references(() => users.id),
  archivedAt: timestamp('archived_at'),
  purgedAt: timestamp('purged_at'),
});

/** Published versions are immutable: a trigger (0001, recreated for 0/1 in 0007) rejects updates of non-draft rows. */
export const journeyVersions = pgTable(
  'journey_versions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    journeyId: integer('journey_id')
      .notNull()
      .references(() => journeys.id),
    isDraft: bool('is_draft').notNull(),
    number: integer('number'),
    graph: jsonb('graph').$type<unknown>().notNull(),
    revision: integer('revision').notNull().default(1),
    changeSummary: text('change_summary').notNull().default(''),
    authorId: integer('author_id').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at'),
  },
  (t) => [
    uniqueIndex('journey_versions_one_draft')
      .on(t.journeyId)
      .where(sql`is_draft = 1`),
    uniqueIndex('journey_versions_number').on(t.journeyId, t.number),
  ],
);

export const enrollments = pgTable(
  'enrollments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    journeyId: integer('journey_id').notNull(),
    versionId: integer('version_id').notNull(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    nodeId: text('node_id').notNull(),
    state: text('state', { enum: ENROLLMENT_STATES }).notNull(),
    waitKey: text('wait_key'),
    runAt: ms('run_at').notNull(),
    seq: integer('seq').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: ms('lease_expires_at'),
    context: jsonb('context').$type<Record<string, unknown>>().notNull().default({}),
    testMode: bool('test_mode').notNull().default(0),
    enteredAt: timestamp('entered_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
    endedAt: timestamp('ended_at'),
  },
  (t) => [
    index('enrollments_due').on(t.state, t.runAt),
    index('enrollments_customer').on(t.customerId, t.journeyId),
    index('enrollments_journey_node').on(t.journeyId, t.nodeId, t.state),
    index('enrollments_wait_key').on(t.waitKey),
  ],
);

export const stepEvents = pgTable(
  'step_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    enrollmentId: integer('enrollment_id').notNull(),
    seq: integer('seq').notNull(),
    journeyId: integer('journey_id').notNull(),
    versionId: integer('version_id').notNull(),
    customerId: integer('customer_id'),
    nodeId: text('node_id').notNull(),
    stepType: text('step_type').notNull(),
    outcome: text('outcome').notNull(),
    reason: text('reason').notNull(),
    context: jsonb('context').$type<Record<string, unknown>>(),
    at: timestamp('at').notNull(),
  },
  (t) => [
    uniqueIndex('step_events_enrollment_seq').on(t.enrollmentId, t.seq),
    index('step_events_customer').on(t.customerId),
    index('step_events_journey').on(t.journeyId),
  ],
);

export const journeyNodeStats = pgTable(
  'journey_node_stats',
  {
    journeyId: integer('journey_id').notNull(),
    nodeId: text('node_id').notNull(),
    handle: text('handle').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.nodeId, t.handle] })],
);

export const testRuns = pgTable('journey_test_runs', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  journeyId: integer('journey_id').notNull(),
  createdBy: integer('created_by'),
  createdAt: createdAt(),
  trace: jsonb('trace').$type<unknown[]>().notNull(),
  simulated: bool('simulated').notNull().default(1),
});
