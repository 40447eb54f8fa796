import { ADVISORY_LOCK_KEYS, XACT_LOCK_SQL } from '../advisory-locks';
import { dialectOf, sqlAll, sqlGet, sqlInsertId, sqlRun, type Db } from '../client';
import type { Channel, DeliverabilityKind } from '@/lib/vocabulary';

/** The workspace delivery policy, rate limits, the shared send-rate log and bounce evidence. */

export interface ChannelPolicyRow {
  channel: Channel;
  capMax: number | null;
  capDays: number | null;
  quietStart: string | null;
  quietEnd: string | null;
  exemptTransactional: boolean;
  softBounceLimit: number;
  updatedAt: number;
}

type PolicySqlRow = {
  channel: Channel;
  cap_max: number | null;
  cap_days: number | null;
  quiet_start: string | null;
  quiet_end: string | null;
  exempt_transactional: number;
  soft_bounce_limit: number;
  updated_at: number;
};

export async function readChannelPolicy(db: Db, channel: Channel): Promise<ChannelPolicyRow | undefined> {
  const row = await sqlGet<PolicySqlRow>(db, 'SELECT * FROM delivery_policies WHERE channel = ?', [channel]);
  if (!row) return undefined;
  return {
    channel: row.channel,
    capMax: row.cap_max,
    capDays: row.cap_days,
    quietStart: row.quiet_start,
    quietEnd: row.quiet_end,
    exemptTransactional: Number(row.exempt_transactional) === 1,
    softBounceLimit: Number(row.soft_bounce_limit),
    updatedAt: Number(row.updated_at),
  };
}

export async function saveChannelPolicy(
  db: Db,
  policy: Omit<ChannelPolicyRow, 'updatedAt'>,
  by: number | null,
  now: number,
): Promise<void> {
  await sqlRun(
    db,
    `INSERT INTO delivery_policies (channel, cap_max, cap_days, quiet_start, quiet_end, exempt_transactional, soft_bounce_limit, updated_at, updated_by)
     VALUES (@channel, @capMax, @capDays, @quietStart, @quietEnd, @exempt, @softBounceLimit, @now, @by)
     ON CONFLICT (channel) DO UPDATE SET cap_max = excluded.cap_max, cap_days = excluded.cap_days,
       quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,
       exempt_transactional = excluded.exempt_transactional, soft_bounce_limit = excluded.soft_bounce_limit,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    {
      channel: policy.channel,
      capMax: policy.capMax,
      capDays: policy.capDays,
      quietStart: policy.quietStart,
      quietEnd: policy.quietEnd,
      exempt: policy.exemptTransactional ? 1 : 0,
      softBounceLimit: policy.softBounceLimit,
      now,
      by,
    },
  );
}

export interface ProviderRateLimitRow {
  provider: string;
  perSecond: number | null;
  perHour: number | null;
}

export async function listProviderRateLimits(db: Db): Promise<ProviderRateLimitRow[]> {
  const rows = await sqlAll<{ provider: string; per_second: number | null; per_hour: number | null }>(
    db,
    'SELECT provider, per_second, per_hour FROM provider_rate_limits ORDER BY provider',
  );
  return rows.map((row) => ({
    provider: row.provider,
    perSecond: row.per_second === null ? null : Number(row.per_second),
    perHour: row.per_hour === null ? null : Number(row.per_hour),
  }));
}

/** Replaces every provider's limits (the settings form saves the whole list). */
export async function replaceProviderRateLimits(
  db: Db,
  limits: readonly ProviderRateLimitRow[],
  now: number,
): Promise<void> {
  await sqlRun(db, 'DELETE FROM provider_rate_limits');
  for (const limit of limits)
    await sqlRun(
      db,
      'INSERT INTO provider_rate_limits (provider, per_second, per_hour, updated_at) VALUES (?, ?, ?, ?)',
      [limit.provider, limit.perSecond, limit.perHour, now],
    );
}

// ---------------------------------------------------------------- frequency cap

/**
 * Marketing mail the policy released to a customer since `since` that still counts (queued again
 * after a failed attempt, in flight, or sent), across all journeys and purposes.
 */
export async function countReleasedMail(
  db: Db,
  customerId: number,
  since: number,
  exceptOutboxId: number,
): Promise<{
  count: number;
  oldest: number | null;
}> {
  const row = await sqlGet<{ n: number | string; oldest: number | string | null }>(
    db,
    `SELECT count(*) AS n, min(policy_released_at) AS oldest FROM outbox
     WHERE customer_id = ? AND kind = 'email' AND policy_released_at >= ? AND id <> ?
       AND status IN ('queued', 'sending', 'sent')`,
    [customerId, since, exceptOutboxId],
  );
  return { count: Number(row?.n ?? 0), oldest: row?.oldest == null ? null : Number(row.oldest) };
}

/** The policy let this claimed mail go: the cap counts it from now on. */
export async function markPolicyReleased(db: Db, outboxId: number, now: number): Promise<void> {
  await sqlRun(db, 'UPDATE outbox SET policy_released_at = ? WHERE id = ?', [now, outboxId]);
}

// ---------------------------------------------------------------- send rate

/**
 * Grants one send slot for `provider` if, counting every slot in flight (granted within
 * `inFlightMs`) and every slot that ended within the window, fewer than each limit are taken.
 * Runs in its own short transaction: SQLite has one writer at a time, PostgreSQL takes the
 * SEND_RATE advisory lock, so two processes never both take the last slot.
 * Returns the slot id, or when to ask again.
 */
export async function grantSendSlot(
  db: Db,
  input: {
    provider: string;
    now: number;
    inFlightMs: number;
    limits: readonly { windowMs: number; max: number }[];
  },
): Promise<{ granted: true; slotId: number } | { granted: false; retryAt: number }> {
  if (dialectOf(db) === 'postgres') {
    await sqlRun(db, XACT_LOCK_SQL, [ADVISORY_LOCK_KEYS.SEND_RATE]);
    // A grant need not wait for its WAL flush (the slot's end is written with the mail's record):
    // a grant lost in a database crash only forgets one slot. Saves a disk flush per mail.
    await sqlRun(db, 'SET LOCAL synchronous_commit TO OFF');
  }
  const staleBefore = input.now - input.inFlightMs;
  // In-flight slots (ended_at is still their grant) count until their delivery ends, unless their
  // process died holding them (granted longer ago than a delivery may take).
  const inFlight = await sqlGet<{ n: number | string }>(
    db,
    'SELECT count(*) AS n FROM send_slots WHERE provider = ? AND in_flight = 1 AND ended_at > ?',
    [input.provider, staleBefore],
  );
  const flying = Number(inFlight?.n ?? 0);
  for (const limit of input.limits) {
    const since = input.now - limit.windowMs;
    const ended = await sqlGet<{ n: number | string; first: number | string | null }>(
      db,
      `SELECT count(*) AS n, min(ended_at) AS first FROM send_slots
       WHERE provider = ? AND in_flight = 0 AND ended_at > ?`,
      [input.provider, since],
    );
    if (flying + Number(ended?.n ?? 0) >= limit.max) {
      // The earliest ended slot in the window frees first; with all of them in flight, ask soon.
      const frees = ended?.first == null ? input.now + 5 : Number(ended.first) + limit.windowMs + 1;
      return { granted: false, retryAt: Math.max(input.now + 1, frees) };
    }
  }
  const slotId = await sqlInsertId(
    db,
    'INSERT INTO send_slots (provider, granted_at, ended_at, in_flight) VALUES (?, ?, ?, 1)',
    [input.provider, input.now, input.now],
  );
  return { granted: true, slotId: slotId! };
}

/** The delivery of a granted slot ended (sent or failed): it counts from now for the window. */
export async function endSendSlots(db: Db, slotIds: readonly number[], now: number): Promise<void> {
  for (const id of slotIds)
    await sqlRun(db, 'UPDATE send_slots SET ended_at = ?, in_flight = 0 WHERE id = ?', [now, id]);
}

export async function pruneSendSlots(db: Db, endedBefore: number): Promise<number> {
  return (await sqlRun(db, 'DELETE FROM send_slots WHERE ended_at < ?', [endedBefore])).changes;
}

// ---------------------------------------------------------------- deliverability

export interface NewDeliverabilityNotification {
  provider: string;
  kind: DeliverabilityKind;
  customerId: number | null;
  outboxId: number | null;
  purposeId: number | null;
  address: string | null;
  detail: string;
  raw: string;
  receivedAt: number;
}

export async function insertDeliverabilityNotification(
  db: Db,
  input: NewDeliverabilityNotification,
): Promise<number> {
  return (await sqlInsertId(
    db,
    `INSERT INTO deliverability_notifications (provider, kind, customer_id, outbox_id, purpose_id, address, detail, raw, received_at)
     VALUES (@provider, @kind, @customerId, @outboxId, @purposeId, @address, @detail, @raw, @receivedAt)`,
    { ...input },
  ))!;
}

export async function setNotificationBlock(db: Db, id: number, blockId: number): Promise<void> {
  await sqlRun(db, 'UPDATE deliverability_notifications SET block_id = ? WHERE id = ?', [blockId, id]);
}

export async function countSoftBounces(db: Db, address: string, since: number): Promise<number> {
  const row = await sqlGet<{ n: number | string }>(
    db,
    `SELECT count(*) AS n FROM deliverability_notifications WHERE address = ? AND kind = 'soft-bounce' AND received_at >= ?`,
    [address, since],
  );
  return Number(row?.n ?? 0);
}

export interface SentMailRef {
  id: number;
  customerId: number | null;
  purposeId: number | null;
  themeKey: string | null;
  enrollmentId: number | null;
  category: string;
  status: string;
  attempts: number;
  idempotencyKey: string;
  toAddress: string | null;
  payload: string | null;
}

const SENT_MAIL_COLUMNS = `id, customer_id AS "customerId", purpose_id AS "purposeId", theme_key AS "themeKey",
  enrollment_id AS "enrollmentId", category, status, attempts, idempotency_key AS "idempotencyKey",
  to_address AS "toAddress", payload`;

export async function outboxMailById(db: Db, id: number): Promise<SentMailRef | undefined> {
  return await sqlGet<SentMailRef>(
    db,
    `SELECT ${SENT_MAIL_COLUMNS} FROM outbox WHERE id = ? AND kind = 'email'`,
    [id],
  );
}

export async function outboxMailByKey(db: Db, idempotencyKey: string): Promise<SentMailRef | undefined> {
  return await sqlGet<SentMailRef>(
    db,
    `SELECT ${SENT_MAIL_COLUMNS} FROM outbox WHERE idempotency_key = ? AND kind = 'email'`,
    [idempotencyKey],
  );
}

/** The latest mail sent to an address (while the outbox still holds addresses: 30 days). */
export async function latestMailToAddress(db: Db, address: string): Promise<SentMailRef | undefined> {
  return await sqlGet<SentMailRef>(
    db,
    `SELECT ${SENT_MAIL_COLUMNS} FROM outbox WHERE kind = 'email' AND lower(to_address) = ? AND status = 'sent'
     ORDER BY sent_at DESC, id DESC LIMIT 1`,
    [address],
  );
}

/** A soft bounce: the sent mail goes back to the queue for another attempt. */
export async function requeueSentMail(db: Db, id: number, retryAt: number, note: string): Promise<boolean> {
  return (
    (
      await sqlRun(
        db,
        `UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = ?, attempts = attempts + 1
         WHERE id = ? AND status = 'sent'`,
        [retryAt, note.slice(0, 500), id],
      )
    ).changes === 1
  );
}

export async function customerIdsByAddress(db: Db, address: string): Promise<number[]> {
  const rows = await sqlAll<{ id: number }>(db, 'SELECT id FROM customers WHERE lower(email) = ?', [address]);
  return rows.map((row) => Number(row.id));
}

export interface DeliverabilityRate {
  purposeId: number | null;
  purposeName: string | null;
  sent: number;
  hardBounces: number;
  softBounces: number;
  complaints: number;
}

/** Per purpose since `since`: mail sent, and bounce and complaint notifications about it. */
export async function deliverabilityRates(db: Db, since: number): Promise<DeliverabilityRate[]> {
  const sent = await sqlAll<{ purpose_id: number | null; n: number | string }>(
    db,
    `SELECT purpose_id, count(*) AS n FROM outbox WHERE kind = 'email' AND status = 'sent' AND sent_at >= ?
     GROUP BY purpose_id`,
    [since],
  );
  const notes = await sqlAll<{ purpose_id: number | null; kind: DeliverabilityKind; n: number | string }>(
    db,
    `SELECT purpose_id, kind, count(*) AS n FROM deliverability_notifications WHERE received_at >= ?
     GROUP BY purpose_id, kind`,
    [since],
  );
  const names = await sqlAll<{ id: number; name: string }>(db, 'SELECT id, name FROM purposes');
  const nameOf = new Map(names.map((row) => [Number(row.id), row.name]));
  const byPurpose = new Map<string, DeliverabilityRate>();
  const entry = (purposeId: number | null) => {
    const key = String(purposeId);
    let rate = byPurpose.get(key);
    if (!rate) {
      rate = {
        purposeId,
        purposeName: purposeId === null ? null : (nameOf.get(purposeId) ?? null),
        sent: 0,
        hardBounces: 0,
        softBounces: 0,
        complaints: 0,
      };
      byPurpose.set(key, rate);
    }
    return rate;
  };
  for (const row of sent) entry(row.purpose_id === null ? null : Number(row.purpose_id)).sent = Number(row.n);
  for (const row of notes) {
    const rate = entry(row.purpose_id === null ? null : Number(row.purpose_id));
    if (row.kind === 'hard-bounce') rate.hardBounces += Number(row.n);
    else if (row.kind === 'soft-bounce') rate.softBounces += Number(row.n);
    else rate.complaints += Number(row.n);
  }
  return [...byPurpose.values()].sort((a, b) => b.sent - a.sent);
}

/** Evidence past its retention: deleted (blocks keep their own short evidence text). */
export async function pruneDeliverabilityNotifications(db: Db, receivedBefore: number): Promise<number> {
  return (
    await sqlRun(db, 'DELETE FROM deliverability_notifications WHERE received_at < ?', [receivedBefore])
  ).changes;
}

/** Erasure: the address and raw notification of a customer are emptied. */
export async function redactDeliverabilityNotifications(
  db: Db,
  customerId: number,
  address: string | null | undefined,
): Promise<number> {
  return (
    await sqlRun(
      db,
      `UPDATE deliverability_notifications SET address = NULL, raw = '', detail = ''
       WHERE customer_id = ? OR (address IS NOT NULL AND address = ?)`,
      [customerId, address?.trim().toLowerCase() ?? null],
    )
  ).changes;
}
