import type { Db } from '../client';
import { sqlRun, sqlAll, sqlGet, sqlInsertId } from '../client';
import { type OutboxStatus } from '@/lib/vocabulary';
import { signalWork } from '../work-signal';
import { jsonList } from '../sql-lists';

/**
 * The transactional outbox: rows are written in the transaction that decided to send, then
 * claimed by the dispatcher with a lease, delivered, and marked. Raw prepared SQL for the same
 * reason as the enrollment store (hot path, measured).
 */

export interface NewOutboxEmail {
  idempotencyKey: string;
  category: 'marketing' | 'optin' | 'transactional' | 'privacy';
  customerId: number | null;
  purposeId: number | null;
  themeKey: string | null;
  enrollmentId: number | null;
  /**
   * The rendered mail. Null for a journey mail: the dispatcher renders it when it first claims the
   * row (see lib/outbox/journey-mail), so nothing personal is copied here before sending.
   */
  toAddress: string | null;
  subject: string | null;
  bodyText: string | null;
  bodyHtml: string | null;
  headers: Record<string, string> | null;
  payload?: Record<string, unknown>;
  now: number;
  /** Not before (a quiet-hours hold already happened in the step; this is for later sends). */
  notBefore?: number;
}

/**
 * Queues one email; a replay with the same idempotency key adds nothing. Returns the row id, if new.
 */
export async function insertOutboxEmail(db: Db, email: NewOutboxEmail): Promise<number | undefined> {
  const id = await sqlInsertId(db, outboxInsertSql(1), outboxValues(email));
  await signalWork(db);
  return id;
}

const OUTBOX_ROW = "('email', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)";
const OUTBOX_CHUNK = 50;
const OUTBOX_SQL_BY_ROWS = new Map<number, string>();

function outboxInsertSql(rows: number): string {
  let text = OUTBOX_SQL_BY_ROWS.get(rows);
  if (!text) {
    text = `INSERT INTO outbox (kind, idempotency_key, category, customer_id, purpose_id, theme_key, enrollment_id, to_address, subject,
       body_text, body_html, headers, payload, status, attempts, next_attempt_at, created_at)
     VALUES ${new Array<string>(rows).fill(OUTBOX_ROW).join(', ')}
     ON CONFLICT (idempotency_key) DO NOTHING`;
    OUTBOX_SQL_BY_ROWS.set(rows, text);
  }
  return text;
}

function outboxValues(email: NewOutboxEmail): unknown[] {
  return [
    email.idempotencyKey,
    email.category,
    email.customerId,
    email.purposeId,
    email.themeKey,
    email.enrollmentId,
    email.toAddress,
    email.subject,
    email.bodyText,
    email.bodyHtml,
    email.headers ? JSON.stringify(email.headers) : null,
    email.payload ? JSON.stringify(email.payload) : null,
    email.notBefore ?? email.now,
    email.now,
  ];
}

/**
 * insertOutboxEmail for many mails, one multi-row INSERT per 50 (same conflict rule): the
 * executor buffers a batch's mails and writes them together.
 */
export async function insertOutboxEmails(db: Db, emails: readonly NewOutboxEmail[]): Promise<void> {
  for (let start = 0; start < emails.length; start += OUTBOX_CHUNK) {
    const chunk = emails.slice(start, start + OUTBOX_CHUNK);
    const values: unknown[] = [];
    for (const email of chunk) values.push(...outboxValues(email));
    await sqlRun(db, outboxInsertSql(chunk.length), values);
  }
  if (emails.length > 0) await signalWork(db);
}

/** Mail queued or sent to a customer on a channel since `since` (frequency caps count both). */
export async function countRecentMail(
  db: Db,
  customerId: number,
  since: number,
  category = 'marketing',
): Promise<number> {
  const row = (await sqlGet(
    db,
    `SELECT count(*) AS n FROM outbox WHERE customer_id = ? AND kind = 'email' AND category = ?
       AND status IN ('queued', 'sending', 'sent') AND created_at >= ?`,
    [customerId, category, since],
  )) as { n: number };
  return row.n;
}

export interface OutboxRecord {
  id: number;
  kind: 'email' | 'webhook';
  idempotencyKey: string;
  category: string;
  customerId: number | null;
  purposeId: number | null;
  themeKey: string | null;
  enrollmentId: number | null;
  webhookId: number | null;
  toAddress: string | null;
  subject: string | null;
  bodyText: string | null;
  bodyHtml: string | null;
  headers: Record<string, string>;
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
}

type OutboxRow = {
  id: number;
  kind: 'email' | 'webhook';
  idempotency_key: string;
  category: string;
  customer_id: number | null;
  purpose_id: number | null;
  theme_key: string | null;
  enrollment_id: number | null;
  webhook_id: number | null;
  to_address: string | null;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  headers: string | null;
  payload: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
};

function toRecord(row: OutboxRow): OutboxRecord {
  return {
    id: row.id,
    kind: row.kind,
    idempotencyKey: row.idempotency_key,
    category: row.category,
    customerId: row.customer_id,
    purposeId: row.purpose_id,
    themeKey: row.theme_key,
    enrollmentId: row.enrollment_id,
    webhookId: row.webhook_id,
    toAddress: row.to_address,
    subject: row.subject,
    bodyText: row.body_text,
    bodyHtml: row.body_html,
    headers: row.headers ? (JSON.parse(row.headers) as Record<string, string>) : {},
    payload: row.payload ? (JSON.parse(row.payload) as unknown) : null,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
  };
}

// Rows of enrollments in paused journeys are held back; 'sending' rows whose lease ran out were
// claimed by a dispatcher that died mid-send and are retried (same Message-ID, so receivers dedupe).
// One statement per status: each is a range of the outbox_due index (status, next_attempt_at) read
// in order, so a claim costs its LIMIT even with a million mails queued (an OR of the two sorted
// every due row on each claim: 260 ms per claim of 50 with 1M mails queued, now 2 ms).
function claimOutboxSql(status: 'queued' | 'sending'): string {
  const due =
    status === 'queued'
      ? "o.status = 'queued' AND o.next_attempt_at <= @now"
      : "o.status = 'sending' AND o.lease_expires_at < @now";
  return `
  UPDATE outbox SET status = 'sending', lease_owner = @owner, lease_expires_at = @leaseUntil
  WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE ${due}
      AND NOT EXISTS (
        SELECT 1 FROM enrollments e JOIN journeys j ON j.id = e.journey_id
        WHERE e.id = o.enrollment_id AND j.status = 'paused')
    ORDER BY o.next_attempt_at LIMIT @limit)
  RETURNING *`;
}
const CLAIM_OUTBOX_SQL = { sending: claimOutboxSql('sending'), queued: claimOutboxSql('queued') };

export async function claimDueOutboxIn(
  db: Db,
  options: { owner: string; now: number; leaseMs: number; limit: number },
): Promise<OutboxRecord[]> {
  const claimed: OutboxRecord[] = [];
  // Interrupted sends first: they are the oldest.
  for (const status of ['sending', 'queued'] as const) {
    const limit = options.limit - claimed.length;
    if (limit <= 0) break;
    const rows = (await sqlAll(db, CLAIM_OUTBOX_SQL[status], {
      owner: options.owner,
      now: options.now,
      leaseUntil: options.now + options.leaseMs,
      limit,
    })) as OutboxRow[];
    // RETURNING has no order (PostgreSQL gave a journey's second mail before its first): the
    // guard decides in queue order, so under a frequency cap the mail queued first is the one sent.
    const records = rows.map(toRecord);
    records.sort((a, b) => Number(a.nextAttemptAt) - Number(b.nextAttemptAt) || a.id - b.id);
    claimed.push(...records);
  }
  return claimed;
}

export async function markOutboxSent(db: Db, id: number, owner: string, now: number): Promise<boolean> {
  return (
    (
      await sqlRun(
        db,
        `UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL, lease_owner = NULL,
         lease_expires_at = NULL WHERE id = ? AND lease_owner = ? AND status = 'sending'`,
        [now, id, owner],
      )
    ).changes === 1
  );
}

/**
 * Marks many mails of one owner sent in one statement (the dispatcher records each mail as soon as
 * the server accepted it; mails accepted meanwhile are recorded together). Returns how many it marked.
 */
export async function markOutboxSentMany(
  db: Db,
  ids: readonly number[],
  owner: string,
  now: number,
): Promise<number> {
  if (ids.length === 0) return 0;
  if (ids.length === 1) return (await markOutboxSent(db, ids[0], owner, now)) ? 1 : 0;
  return (
    await sqlRun(
      db,
      `UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL, lease_owner = NULL,
       lease_expires_at = NULL WHERE id IN ${jsonList(db)} AND lease_owner = ? AND status = 'sending'`,
      [now, JSON.stringify(ids), owner],
    )
  ).changes;
}

/**
 * Extends the lease of claimed rows this owner still holds (a dispatcher whose queue waits longer
 * than it expected); returns the ids it still holds.
 */
export async function renewOutboxLeases(
  db: Db,
  ids: readonly number[],
  owner: string,
  leaseUntil: number,
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = (await sqlAll(
    db,
    `UPDATE outbox SET lease_expires_at = ? WHERE id IN ${jsonList(db)} AND lease_owner = ? AND status = 'sending'
     RETURNING id`,
    [leaseUntil, JSON.stringify(ids), owner],
  )) as { id: number }[];
  return new Set(rows.map((row) => Number(row.id)));
}

/**
 * Puts a claimed mail back in the queue until `until` without counting an attempt (a send-time
 * guard deferred it, e.g. a delivery policy); the reason is kept as its last error for the outbox view.
 */
export async function deferOutbox(db: Db, id: number, until: number, reason: string): Promise<boolean> {
  return (
    (
      await sqlRun(
        db,
        `UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = ?, lease_owner = NULL,
         lease_expires_at = NULL WHERE id = ? AND status = 'sending'`,
        [until, reason.slice(0, 500), id],
      )
    ).changes === 1
  );
}

/** Stores what the dispatcher rendered for a claimed journey mail (see lib/outbox/journey-mail). */
export async function saveRenderedMail(
  db: Db,
  id: number,
  owner: string,
  mail: {
    toAddress: string;
    subject: string;
    bodyText: string;
    bodyHtml: string;
    headers: Record<string, string>;
  },
): Promise<boolean> {
  return (
    (
      await sqlRun(
        db,
        `UPDATE outbox SET to_address = ?, subject = ?, body_text = ?, body_html = ?, headers = ?
         WHERE id = ? AND lease_owner = ? AND status = 'sending'`,
        [mail.toAddress, mail.subject, mail.bodyText, mail.bodyHtml, JSON.stringify(mail.headers), id, owner],
      )
    ).changes === 1
  );
}

/** A failed attempt: back to the queue at `retryAt`, or given up ('failed') when retryAt is null. */
export async function markOutboxAttemptFailed(
  db: Db,
  id: number,
  owner: string,
  error: string,
  retryAt: number | null,
): Promise<void> {
  await sqlRun(
    db,
    `UPDATE outbox SET status = @status, attempts = attempts + 1, last_error = @error, next_attempt_at = COALESCE(@retryAt, next_attempt_at),
       lease_owner = NULL, lease_expires_at = NULL WHERE id = @id AND lease_owner = @owner`,
    { status: retryAt === null ? 'failed' : 'queued', error: error.slice(0, 500), retryAt, id, owner },
  );
}

export async function cancelOutbox(db: Db, id: number, reason: string): Promise<boolean> {
  return (
    (
      await sqlRun(
        db,
        `UPDATE outbox SET status = 'cancelled', cancel_reason = ?, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = ? AND status IN ('queued', 'sending')`,
        [reason, id],
      )
    ).changes === 1
  );
}

export async function findWebhookTarget(
  db: Db,
  webhookId: number,
): Promise<{ url: string; secret: string; active: boolean } | undefined> {
  const row = (await sqlGet(db, 'SELECT url, secret, active FROM webhooks WHERE id = ?', [webhookId])) as
    { url: string; secret: string; active: number } | undefined;
  return row ? { url: row.url, secret: row.secret, active: row.active === 1 } : undefined;
}

export async function purposeKeyOfId(db: Db, purposeId: number): Promise<string | undefined> {
  const row = (await sqlGet(db, 'SELECT key FROM purposes WHERE id = ?', [purposeId])) as
    { key: string } | undefined;
  return row?.key;
}

/** Archival: undelivered journey mail of a journey is not sent any more. */
export async function cancelQueuedMailOfJourney(db: Db, journeyId: number, reason: string): Promise<number> {
  return (
    await sqlRun(
      db,
      `UPDATE outbox SET status = 'cancelled', cancel_reason = ?, lease_owner = NULL, lease_expires_at = NULL
     WHERE status = 'queued' AND kind = 'email'
       AND enrollment_id IN (SELECT id FROM enrollments WHERE journey_id = ?)`,
      [reason, journeyId],
    )
  ).changes;
}
