import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { BLOCK_REASONS, BLOCK_SCOPES, CHANNELS } from '../../lib/vocabulary/contact';
import {
  CONSENT_ACTIONS,
  CONSENT_SOURCES,
  CONSENT_STATES,
  LEGAL_BASES,
  type Recipient,
  type Translations,
} from '../../lib/vocabulary/consent';
import {
  PRIVACY_REQUEST_KINDS,
  PRIVACY_REQUEST_SOURCES,
  PRIVACY_REQUEST_STATUSES,
  TOKEN_KINDS,
} from '../../lib/vocabulary/privacy';
import { bool, createdAt, id, json, timestamp } from './_columns';
import { customers } from './customers';
import { users } from './auth';

export const purposes = sqliteTable('purposes', {
  id: id(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  legalBasis: text('legal_basis', { enum: LEGAL_BASES }).notNull(),
  retentionDays: integer('retention_days').notNull(),
  /** Named third parties; each needs its own specific consent. */
  recipients: json('recipients').$type<Recipient[]>().notNull().default([]),
  /** Legal retention duty: erasure restricts instead of deleting (e.g. invoices). */
  retentionDuty: text('retention_duty'),
  /** Name and description in other languages than the default (English) ones above. */
  translations: json('translations').$type<Translations>().notNull().default({}),
  /** Links in this purpose's mails go through a click-recording redirect (off unless the notice says so). */
  clickTracking: bool('click_tracking').notNull().default(false),
  /** Sale or sharing / targeted advertising: a Global Privacy Control signal objects to it. */
  honoursGpc: bool('honours_gpc').notNull().default(false),
  createdAt: createdAt(),
  archivedAt: timestamp('archived_at'),
});

export const themes = sqliteTable(
  'themes',
  {
    id: id(),
    purposeId: integer('purpose_id')
      .notNull()
      .references(() => purposes.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    translations: json('translations').$type<Translations>().notNull().default({}),
  },
  (t) => [uniqueIndex('themes_purpose_key').on(t.purposeId, t.key)],
);

export const notices = sqliteTable(
  'notices',
  {
    id: id(),
    purposeId: integer('purpose_id')
      .notNull()
      .references(() => purposes.id),
    version: integer('version').notNull(),
    locale: text('locale').notNull().default('en'),
    text: text('text').notNull(),
    /** sha256 of the text: what a grant records, so the wording agreed to is provable. */
    textHash: text('text_hash').notNull(),
    requiresReconsent: bool('requires_reconsent').notNull().default(false),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('notices_purpose_version_locale').on(t.purposeId, t.version, t.locale)],
);

/**
 * Append-only, hash-chained ledger (triggers reject UPDATE and DELETE).
 * theme_key '' means the purpose itself.
 */
export const consentEvents = sqliteTable(
  'consent_events',
  {
    id: id(),
    customerId: integer('customer_id').notNull(),
    purposeId: integer('purpose_id').notNull(),
    themeKey: text('theme_key').notNull().default(''),
    action: text('action', { enum: CONSENT_ACTIONS }).notNull(),
    stateAfter: text('state_after', { enum: CONSENT_STATES }).notNull(),
    source: text('source', { enum: CONSENT_SOURCES }).notNull(),
    noticeHash: text('notice_hash'),
    evidenceDigest: text('evidence_digest').notNull(),
    occurredAt: timestamp('occurred_at').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('consent_events_customer').on(t.customerId, t.purposeId),
    index('consent_events_time').on(t.occurredAt),
  ],
);

/** Evidence lives apart from the chain so erasure can redact it while the chain still verifies. */
export const consentEvidence = sqliteTable('consent_evidence', {
  eventId: integer('event_id').primaryKey(),
  details: json('details').$type<Record<string, unknown>>(),
  redactedAt: timestamp('redacted_at'),
});

/**
 * Signed consent receipts (ISO/IEC TS 27560 shaped, compact JWS): one per grant, withdrawal or
 * objection, written in the ledger event's transaction. `receiptId` is the 256-bit capability in
 * the receipt's URL; the token holds only what the person already knows. Deleted by erasure.
 */
export const consentReceipts = sqliteTable(
  'consent_receipts',
  {
    id: id(),
    receiptId: text('receipt_id').notNull().unique(),
    customerId: integer('customer_id').notNull(),
    eventId: integer('event_id').notNull(),
    kid: text('kid').notNull(),
    token: text('token').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('consent_receipts_customer').on(t.customerId), index('consent_receipts_event').on(t.eventId)],
);

/** Current state per customer, purpose and theme; written in the same transaction as the ledger. */
export const consentState = sqliteTable(
  'consent_state',
  {
    customerId: integer('customer_id').notNull(),
    purposeId: integer('purpose_id').notNull(),
    themeKey: text('theme_key').notNull().default(''),
    state: text('state', { enum: CONSENT_STATES }).notNull(),
    lastEventId: integer('last_event_id').notNull(),
    noticeHash: text('notice_hash'),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.purposeId, t.themeKey] }),
    index('consent_state_purpose').on(t.purposeId, t.themeKey, t.state),
  ],
);

/** Dashboard counts per purpose/theme/state, maintained in the ledger's transaction (never scans). */
export const consentCounters = sqliteTable(
  'consent_counters',
  {
    purposeId: integer('purpose_id').notNull(),
    themeKey: text('theme_key').notNull().default(''),
    state: text('state', { enum: CONSENT_STATES }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.purposeId, t.themeKey, t.state] })],
);

/** Historized: a block is set once and lifted once, never edited in place. */
export const contactBlocks = sqliteTable(
  'contact_blocks',
  {
    id: id(),
    customerId: integer('customer_id').references(() => customers.id),
    /** For scope 'address': the lower-cased address. */
    address: text('address'),
    scope: text('scope', { enum: BLOCK_SCOPES }).notNull(),
    channel: text('channel', { enum: CHANNELS }),
    themeKey: text('theme_key'),
    reason: text('reason', { enum: BLOCK_REASONS }).notNull(),
    evidence: text('evidence').notNull(),
    setAt: timestamp('set_at').notNull(),
    setBy: text('set_by').notNull(),
    liftedAt: timestamp('lifted_at'),
    liftedBy: text('lifted_by'),
    liftReason: text('lift_reason'),
  },
  (t) => [
    index('contact_blocks_customer').on(t.customerId, t.liftedAt),
    index('contact_blocks_address').on(t.address),
  ],
);

/** Customer link tokens: only the sha256 of the 256-bit secret is stored. */
export const tokens = sqliteTable(
  'tokens',
  {
    id: id(),
    kind: text('kind', { enum: TOKEN_KINDS }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    customerId: integer('customer_id').references(() => customers.id),
    purposeId: integer('purpose_id'),
    payload: json('payload').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
  },
  (t) => [index('tokens_customer').on(t.customerId, t.kind)],
);

export const privacyRequests = sqliteTable(
  'privacy_requests',
  {
    id: id(),
    customerId: integer('customer_id').references(() => customers.id),
    kind: text('kind', { enum: PRIVACY_REQUEST_KINDS }).notNull(),
    status: text('status', { enum: PRIVACY_REQUEST_STATUSES }).notNull(),
    source: text('source', { enum: PRIVACY_REQUEST_SOURCES }).notNull(),
    details: json('details').$type<Record<string, unknown>>().notNull().default({}),
    receivedAt: timestamp('received_at').notNull(),
    dueAt: timestamp('due_at').notNull(),
    extensionReason: text('extension_reason'),
    verifiedAt: timestamp('verified_at'),
    completedAt: timestamp('completed_at'),
    statusReason: text('status_reason'),
    receipt: json('receipt').$type<Record<string, unknown>>(),
  },
  (t) => [index('privacy_requests_status_due').on(t.status, t.dueAt)],
);

/** Data packages: files outside public/ under a random name, behind an expiring token link. */
export const exports = sqliteTable('exports', {
  id: id(),
  customerId: integer('customer_id').references(() => customers.id),
  requestId: integer('request_id'),
  fileName: text('file_name').notNull().unique(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at').notNull(),
  downloadCount: integer('download_count').notNull().default(0),
  deletedAt: timestamp('deleted_at'),
});

export const ledgerChecks = sqliteTable('ledger_checks', {
  id: id(),
  at: createdAt(),
  ok: bool('ok').notNull(),
  checkedCount: integer('checked_count').notNull(),
  firstBrokenEventId: integer('first_broken_event_id'),
  message: text('message').notNull(),
});

/**
 * Signed anchors of the ledger's head: the number of events, the last event's id and hash, and an
 * HMAC over them under the ledger key. `ledger:verify` checks that every checkpoint still matches
 * the chain, so removing the newest events or rewriting history is detected, not only a broken link.
 */
export const ledgerCheckpoints = sqliteTable('ledger_checkpoints', {
  /** One checkpoint per head: the count of events it anchors. */
  eventCount: integer('event_count').primaryKey(),
  headEventId: integer('head_event_id').notNull(),
  headHash: text('head_hash').notNull(),
  at: timestamp('at').notNull(),
  signature: text('signature').notNull(),
});
