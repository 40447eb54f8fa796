import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { IMPORT_JOB_STATUSES, OUTBOX_KINDS, OUTBOX_STATUSES } from '../../lib/vocabulary/messaging';
import { bool, createdAt, id, json, ms, timestamp } from './_columns';

/**
 * Transactional outbox: rows are written in the same transaction as the decision to send,
 * then delivered by the dispatcher with retries. idempotency_key is the stable Message-ID seed.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: id(),
    kind: text('kind', { enum: OUTBOX_KINDS }).notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    /** What the mail is for: 'marketing', 'optin', 'transactional', 'privacy'. */
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
    headers: json('headers').$type<Record<string, string>>(),
    payload: json('payload').$type<unknown>(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: ms('lease_expires_at'),
    lastError: text('last_error'),
    cancelReason: text('cancel_reason'),
    /**
     * When the workspace delivery policy let this mail go (lib/delivery/policy): the frequency cap
     * counts the mails released in its window. Null for mail the cap does not count.
     */
    policyReleasedAt: ms('policy_released_at'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at'),
  },
  (t) => [
    index('outbox_due').on(t.status, t.nextAttemptAt),
    index('outbox_customer').on(t.customerId, t.status),
    index('outbox_webhook').on(t.webhookId),
    index('outbox_policy_released').on(t.customerId, t.policyReleasedAt),
  ],
);

export const webhooks = sqliteTable('webhooks', {
  id: id(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  events: json('events').$type<string[]>().notNull(),
  /** Needed in clear to sign deliveries; shown to the admin once. */
  secret: text('secret').notNull(),
  /** A named data recipient (purpose recipient key) this endpoint delivers transfers to. */
  recipientKey: text('recipient_key'),
  active: bool('active').notNull().default(true),
  createdAt: createdAt(),
  createdBy: integer('created_by'),
});

export const importJobs = sqliteTable('import_jobs', {
  id: id(),
  status: text('status', { enum: IMPORT_JOB_STATUSES }).notNull(),
  dryRun: bool('dry_run').notNull().default(false),
  fileName: text('file_name').notNull(),
  mapping: json('mapping').$type<Record<string, string>>().notNull(),
  totalRows: integer('total_rows').notNull().default(0),
  processedRows: integer('processed_rows').notNull().default(0),
  importedRows: integer('imported_rows').notNull().default(0),
  skippedRows: integer('skipped_rows').notNull().default(0),
  failedRows: integer('failed_rows').notNull().default(0),
  /** Per-row errors (row number and message; no personal data). */
  errorReport: text('error_report'),
  createdBy: integer('created_by'),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at'),
});

export const workerHeartbeats = sqliteTable('worker_heartbeats', {
  workerId: text('worker_id').primaryKey(),
  at: timestamp('at').notNull(),
  startedAt: timestamp('started_at').notNull(),
  paused: bool('paused').notNull().default(false),
});
