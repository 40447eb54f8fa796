import { sqliteTable, integer, text, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { AUDIT_ACTOR_TYPES, ROLES, type ApiScope } from '../../lib/vocabulary/auth';
import { bool, createdAt, id, json, ms, timestamp } from './_columns';

export const users = sqliteTable('users', {
  id: id(),
  email: text('email').notNull().unique(),
  name: text('name').notNull().default(''),
  role: text('role', { enum: ROLES }).notNull(),
  passwordHash: text('password_hash').notNull(),
  disabled: bool('disabled').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at'),
  lastLoginAt: timestamp('last_login_at'),
  /** Bumped by sign-out, disabling, a role or password change: sessions signed with an older one end. */
  sessionVersion: integer('session_version').notNull().default(0),
});

export const apiKeys = sqliteTable('api_keys', {
  id: id(),
  name: text('name').notNull(),
  /** First characters of the key, shown so staff can tell keys apart; not enough to use it. */
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  scopes: json('scopes').$type<ApiScope[]>().notNull(),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at'),
  expiresAt: timestamp('expires_at'),
  revokedAt: timestamp('revoked_at'),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: id(),
    at: createdAt(),
    actorType: text('actor_type', { enum: AUDIT_ACTOR_TYPES }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    /** Never personal data: ids, counts, reasons. */
    details: json('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_target').on(t.targetType, t.targetId), index('audit_log_at').on(t.at)],
);

/** Fixed-window counters shared by all processes: login attempts, API keys, opt-in resend cooldowns. */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    bucket: text('bucket').notNull(),
    windowStart: ms('window_start').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] })],
);

export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    apiKeyId: integer('api_key_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    body: text('body').notNull(),
    /** The customer the cached answer is about, so erasure finds it whatever address it held. */
    customerId: integer('customer_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.apiKeyId, t.key] }),
    index('idempotency_keys_customer').on(t.customerId),
    index('idempotency_keys_created').on(t.createdAt),
  ],
);
