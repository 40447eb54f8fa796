import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { ENROLLMENT_STATES, JOURNEY_STATUSES, ROLLOUT_PHASES } from '../../lib/vocabulary/journeys';
import { bool, createdAt, id, json, ms, timestamp } from './_columns';
import { users } from './auth';
import { customers } from './customers';

export const journeys = sqliteTable('journeys', {
  id: id(),
  name: text('name').notNull(),
  status: text('status', { enum: JOURNEY_STATUSES }).notNull().default('draft'),
  /** The published version new customers enter. */
  liveVersionId: integer('live_version_id'),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at'),
  updatedBy: integer('updated_by').references(() => users.id),
  archivedAt: timestamp('archived_at'),
  /** Set once per-enrollment data has been purged after archival; only aggregates remain. */
  purgedAt: timestamp('purged_at'),
});

/**
 * Published versions are immutable (a trigger rejects updates); each journey also has exactly one
 * draft row (is_draft = 1, number = null) whose revision guards autosave against lost updates.
 */
export const journeyVersions = sqliteTable(
  'journey_versions',
  {
    id: id(),
    journeyId: integer('journey_id')
      .notNull()
      .references(() => journeys.id),
    isDraft: bool('is_draft').notNull(),
    number: integer('number'),
    graph: json('graph').$type<unknown>().notNull(),
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

/**
 * A published version whose rollout (moving running customers, enrolling the target group, a page
 * per transaction) is not finished. Written in the publish transaction, so "live" and "to be
 * rolled out" commit together; each page advances the cursor in its own transaction; the row goes
 * when the rollout ends. A rollout whose lease ran out (its process died) is resumed by a worker.
 */
export const journeyRollouts = sqliteTable('journey_rollouts', {
  journeyId: integer('journey_id')
    .primaryKey()
    .references(() => journeys.id),
  versionId: integer('version_id').notNull(),
  moveRunning: bool('move_running').notNull(),
  phase: text('phase', { enum: ROLLOUT_PHASES }).notNull(),
  /** The last customer (enroll) or enrollment (move) id done: the next page starts after it. */
  afterId: integer('after_id').notNull().default(0),
  leaseOwner: text('lease_owner').notNull(),
  leaseExpiresAt: ms('lease_expires_at').notNull(),
  startedAt: ms('started_at').notNull(),
});

/** A customer's durable position in a journey version; claimed by workers through a lease. */
export const enrollments = sqliteTable(
  'enrollments',
  {
    id: id(),
    journeyId: integer('journey_id').notNull(),
    versionId: integer('version_id').notNull(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    nodeId: text('node_id').notNull(),
    state: text('state', { enum: ENROLLMENT_STATES }).notNull(),
    /** What a waiting enrollment waits for, so a wake-up can find it at once: e.g. 'consent:newsletter'. */
    waitKey: text('wait_key'),
    /** When a waiting step gives up (timeout) or a wait ends. */
    runAt: ms('run_at').notNull(),
    /** Transition counter: step_events are keyed by (enrollment, seq), so a replay records nothing twice. */
    seq: integer('seq').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: ms('lease_expires_at'),
    /** Per-enrollment data gathered by steps (purged when the journey is archived). */
    context: json('context').$type<Record<string, unknown>>().notNull().default({}),
    testMode: bool('test_mode').notNull().default(false),
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

/** One row per transition, with the human-readable reason (Art. 15(1)(h), Art. 22). */
export const stepEvents = sqliteTable(
  'step_events',
  {
    id: id(),
    enrollmentId: integer('enrollment_id').notNull(),
    seq: integer('seq').notNull(),
    journeyId: integer('journey_id').notNull(),
    versionId: integer('version_id').notNull(),
    customerId: integer('customer_id'),
    nodeId: text('node_id').notNull(),
    stepType: text('step_type').notNull(),
    outcome: text('outcome').notNull(),
    reason: text('reason').notNull(),
    context: json('context').$type<Record<string, unknown>>(),
    at: timestamp('at').notNull(),
  },
  (t) => [
    uniqueIndex('step_events_enrollment_seq').on(t.enrollmentId, t.seq),
    index('step_events_customer').on(t.customerId),
    // Archival purges a journey's events by journey_id; nothing looks them up by node (the live view
    // counts come from journey_node_stats), so one insertion point per journey, not one per step.
    index('step_events_journey').on(t.journeyId),
  ],
);

/** Per-node counts of customers that left by each handle; survive the purge of enrollments. */
export const journeyNodeStats = sqliteTable(
  'journey_node_stats',
  {
    journeyId: integer('journey_id').notNull(),
    nodeId: text('node_id').notNull(),
    handle: text('handle').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.nodeId, t.handle] })],
);

export const testRuns = sqliteTable('journey_test_runs', {
  id: id(),
  journeyId: integer('journey_id').notNull(),
  createdBy: integer('created_by'),
  createdAt: createdAt(),
  trace: json('trace').$type<unknown[]>().notNull(),
  simulated: bool('simulated').notNull().default(true),
});
