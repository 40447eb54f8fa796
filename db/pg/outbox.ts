import type { Pool, PoolClient } from 'pg';
import type { OutboxRecord } from '../store/outbox';
import type { OutboxStatus } from '../schema';

/**
 * The outbox dispatcher's claim on PostgreSQL: the same statement shapes as db/store/outbox.ts
 * (claimDueOutbox / markOutboxSent / markOutboxAttemptFailed), with FOR UPDATE SKIP LOCKED so
 * several dispatchers (one per worker process) split due rows instead of queueing behind each
 * other, and never lease the same row twice.
 */
export type { OutboxRecord };

type Queryable = Pool | PoolClient;

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
  headers: Record<string, string> | null;
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
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
    headers: row.headers ?? {},
    payload: row.payload ?? null,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: Number(row.next_attempt_at),
  };
}

// As on SQLite: paused journeys hold their mail back; 'sending' rows whose lease ran out belong to
// a dispatcher that died mid-send and are retried (same Message-ID, so receivers dedupe).
const CLAIM_OUTBOX_SQL = `
  WITH due AS (
    SELECT o.id FROM outbox o
    WHERE ((o.status = 'queued' AND o.next_attempt_at <= $1) OR (o.status = 'sending' AND o.lease_expires_at < $1))
      AND NOT EXISTS (
        SELECT 1 FROM enrollments e JOIN journeys j ON j.id = e.journey_id
        WHERE e.id = o.enrollment_id AND j.status = 'paused')
    ORDER BY o.next_attempt_at
    LIMIT $2
    FOR UPDATE OF o SKIP LOCKED)
  UPDATE outbox SET status = 'sending', lease_owner = $3, lease_expires_at = $4
  FROM due WHERE outbox.id = due.id
  RETURNING outbox.*`;

export async function claimDueOutbox(
  pool: Queryable,
  options: { owner: string; now: number; leaseMs: number; limit: number },
): Promise<OutboxRecord[]> {
  const result = await pool.query<OutboxRow>(CLAIM_OUTBOX_SQL, [
    options.now,
    options.limit,
    options.owner,
    options.now + options.leaseMs,
  ]);
  return result.rows.map(toRecord);
}

export async function markOutboxSent(
  pool: Queryable,
  id: number,
  owner: string,
  now: number,
): Promise<boolean> {
  const result = await pool.query(
    `UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, last_error = NULL, lease_owner = NULL,
       lease_expires_at = NULL WHERE id = $2 AND lease_owner = $3 AND status = 'sending'`,
    [now, id, owner],
  );
  return result.rowCount === 1;
}

/** A failed attempt: back to the queue at `retryAt`, or given up ('failed') when retryAt is null. */
export async function markOutboxAttemptFailed(
  pool: Queryable,
  id: number,
  owner: string,
  error: string,
  retryAt: number | null,
): Promise<void> {
  await pool.query(
    `UPDATE outbox SET status = $1, attempts = attempts + 1, last_error = $2, next_attempt_at = COALESCE($3, next_attempt_at),
       lease_owner = NULL, lease_expires_at = NULL WHERE id = $4 AND lease_owner = $5`,
    [retryAt === null ? 'failed' : 'queued', error.slice(0, 500), retryAt, id, owner],
  );
}
