import { pgTable, integer, text, jsonb, index } from 'drizzle-orm/pg-core';
import { OUTBOX_KINDS, OUTBOX_STATUSES } from '../../schema/messaging';
import { bool, createdAt, ms, timestamp } from './_columns';

export const outbox = pgTable(
  'outbox',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    kind: text('kind', { enum: OUTBOX_KINDS }).notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    category: text('category').notNull().default('marketing'),
    customerId: integer('customer_id'),
    purposeId: integer('purpose_id'),
    themeKey: text('theme_key'),
    enrollmentId: integer('enrollment_id'),
    webhookId: integer('webhook_id'),
    toAddress: text('to_address'),
    subject: text('subject'),
    bodyText: text('body_text'),
    bodyHtml: text('body_html'),
    headers: jsonb('headers').$type<Record<string, string>>(),
    payload: jsonb('payload').$type<unknown>(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: ms('lease_expires_at'),
    lastError: text('last_error'),
    cancelReason: text('cancel_reason'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at'),
  },
  (t) => [
    index('outbox_due').on(t.status, t.nextAttemptAt),
    index('outbox_customer').on(t.customerId, t.status),
    index('outbox_webhook').on(t.webhookId),
  ],
);

export const webhooks = pgTable('webhooks', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  events: jsonb('events').$type<string[]>().notNull(),
  secret: text('secret').notNull(),
  recipientKey: text('recipient_key'),
  active: bool('active').notNull().default(1),
  createdAt: createdAt(),
  createdBy: integer('created_by'),
});

export const importJobs = pgTable('import_jobs', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  status: text('status', { enum: ['pending', 'running', 'done', 'failed'] }).notNull(),
  dryRun: bool('dry_run').notNull().default(0),
  fileName: text('file_name').notNull(),
  mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
  totalRows: integer('total_rows').notNull().default(0),
  processedRows: integer('processed_rows').notNull().default(0),
  importedRows: integer('imported_rows').notNull().default(0),
  skippedRows: integer('skipped_rows').notNull().default(0),
  failedRows: integer('failed_rows').notNull().default(0),
  errorReport: text('error_report'),
  createdBy: integer('created_by'),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at'),
});

export const workerHeartbeats = pgTable('worker_heartbeats', {
  workerId: text('worker_id').primaryKey(),
  at: timestamp('at').notNull(),
  startedAt: timestamp('started_at').notNull(),
  paused: bool('paused').notNull().default(0),
});
