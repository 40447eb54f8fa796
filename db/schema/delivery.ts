import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { CHANNELS } from '../../lib/vocabulary/contact';
import { DELIVERABILITY_KINDS } from '../../lib/vocabulary/delivery';
import { bool, id, ms, timestamp } from './_columns';

/**
 * The workspace delivery policy, one row per channel (Settings → Delivery policy): a frequency cap
 * across all journeys and purposes, default quiet hours in the customer's time zone, whether
 * transactional purposes (contract, legal obligation) are exempt, and after how many soft bounces
 * an address is blocked. The dispatcher enforces it at send time (lib/delivery/policy).
 */
export const deliveryPolicies = sqliteTable('delivery_policies', {
  channel: text('channel', { enum: CHANNELS }).primaryKey(),
  capMax: integer('cap_max'),
  capDays: integer('cap_days'),
  quietStart: text('quiet_start'),
  quietEnd: text('quiet_end'),
  exemptTransactional: bool('exempt_transactional').notNull().default(true),
  softBounceLimit: integer('soft_bounce_limit').notNull().default(3),
  updatedAt: timestamp('updated_at').notNull(),
  updatedBy: integer('updated_by'),
});

/** Send-rate limits per provider (an SMTP host, or 'outbox' for the built-in outbox). */
export const providerRateLimits = sqliteTable('provider_rate_limits', {
  provider: text('provider').primaryKey(),
  perSecond: integer('per_second'),
  perHour: integer('per_hour'),
  updatedAt: timestamp('updated_at').notNull(),
});

/**
 * The shared send-rate log (lib/delivery/rate-limit): one row per mail handed to a provider. A slot
 * counts while in flight and for the window after its delivery ended, so every worker process on
 * the database sees the same count. Pruned an hour after it ended.
 */
export const sendSlots = sqliteTable(
  'send_slots',
  {
    id: id(),
    provider: text('provider').notNull(),
    grantedAt: ms('granted_at').notNull(),
    /** When the slot stops counting down from: its grant while in flight, then its delivery's end. */
    endedAt: ms('ended_at').notNull(),
    inFlight: bool('in_flight').notNull().default(true),
  },
  (t) => [index('send_slots_provider').on(t.provider, t.inFlight, t.endedAt)],
);

/**
 * Bounce and complaint notifications from providers (API) and DSNs (inbound SMTP), kept as the
 * evidence of the block or withdrawal they caused until their retention ends.
 */
export const deliverabilityNotifications = sqliteTable(
  'deliverability_notifications',
  {
    id: id(),
    provider: text('provider').notNull(),
    kind: text('kind', { enum: DELIVERABILITY_KINDS }).notNull(),
    customerId: integer('customer_id'),
    outboxId: integer('outbox_id'),
    purposeId: integer('purpose_id'),
    /** The lower-cased recipient address the notification is about. */
    address: text('address'),
    detail: text('detail').notNull().default(''),
    /** The raw notification (JSON or the DSN), the evidence; emptied on erasure. */
    raw: text('raw').notNull(),
    blockId: integer('block_id'),
    receivedAt: ms('received_at').notNull(),
  },
  (t) => [
    index('deliverability_customer').on(t.customerId, t.kind),
    index('deliverability_received').on(t.receivedAt),
  ],
);
