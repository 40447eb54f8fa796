import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';
import { timestamp } from './_columns';

/** The last run of each data-lifecycle prune job (lib/lifecycle), shown in Settings. */
export const lifecycleJobRuns = sqliteTable('lifecycle_job_runs', {
  job: text('job').primaryKey(),
  lastRunAt: timestamp('last_run_at').notNull(),
  lastDurationMs: integer('last_duration_ms').notNull().default(0),
  /** Rows or files the last run removed or emptied. */
  lastPruned: integer('last_pruned').notNull().default(0),
  totalPruned: integer('total_pruned').notNull().default(0),
  lastError: text('last_error'),
  nextRunAt: timestamp('next_run_at').notNull(),
});
