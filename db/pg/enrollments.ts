import type { Pool, PoolClient } from 'pg';
import type {
  ClaimOptions,
  EnrollmentRecord,
  NewEnrollment,
  Position,
  StepEventInput,
} from '../store/enrollments';
import type { EnrollmentState } from '../schema';

/**
 * The executor's hot path on PostgreSQL: the same shapes as db/store/enrollments.ts (ClaimOptions,
 * EnrollmentRecord, Position, StepEventInput), async and pool-based. Claims use
 * FOR UPDATE SKIP LOCKED so concurrent workers never wait on, nor take, each other's rows; commits
 * are guarded by (lease_owner, seq) so a worker whose lease expired cannot overwrite the position
 * another worker already moved on.
 */

export type { ClaimOptions, EnrollmentRecord, NewEnrollment, Position, StepEventInput };

type Queryable = Pool | PoolClient;

type EnrollmentRow = {
  id: number;
  journey_id: number;
  version_id: number;
  customer_id: number;
  node_id: string;
  state: EnrollmentState;
  wait_key: string | null;
  run_at: string;
  seq: number;
  attempts: number;
  last_error: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  context: Record<string, unknown> | null;
  /** 0/1, as on SQLite. */
  test_mode: number;
  entered_at: string;
  ended_at: string | null;
};

const toNumber = (value: string | number | null): number | null => (value === null ? null : Number(value));

function toRecord(row: EnrollmentRow): EnrollmentRecord {
  return {
    id: row.id,
    journeyId: row.journey_id,
    versionId: row.version_id,
    customerId: row.customer_id,
    nodeId: row.node_id,
    state: row.state,
    waitKey: row.wait_key,
    runAt: Number(row.run_at),
    seq: row.seq,
    attempts: row.attempts,
    lastError: row.last_error,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: toNumber(row.lease_expires_at),
    context: row.context ?? {},
    testMode: row.test_mode === 1,
    enteredAt: Number(row.entered_at),
    endedAt: toNumber(row.ended_at),
  };
}

// One statement per state, as on SQLite, so each walks the (state, run_at) index in order.
// SKIP LOCKED: rows another worker is claiming right now are passed over, not waited for; and
// FOR UPDATE re-checks the lease condition on the newest row version, so a row claimed and
// committed by another worker after this statement's snapshot is not claimed twice.
const CLAIM_SQL = `
  WITH due AS (
    SELECT id FROM enrollments
    WHERE state = $1 AND run_at <= $2
      AND (lease_expires_at IS NULL OR lease_expires_at < $2)
      AND journey_id NOT IN (SELECT id FROM journeys WHERE status = 'paused')
    ORDER BY run_at
    LIMIT $3
    FOR UPDATE SKIP LOCKED)
  UPDATE enrollments e SET lease_owner = $4, lease_expires_at = $5
  FROM due WHERE e.id = due.id
  RETURNING e.*`;

/** Leases up to `limit` due enrollments (active first, then woken or timed-out waits). */
export async function claimDueEnrollments(
  pool: Queryable,
  options: ClaimOptions,
): Promise<EnrollmentRecord[]> {
  const claimed: EnrollmentRecord[] = [];
  for (const state of ['active', 'waiting'] as const) {
    const limit = options.limit - claimed.length;
    if (limit <= 0) break;
    const result = await pool.query<EnrollmentRow>(CLAIM_SQL, [
      state,
      options.now,
      limit,
      options.owner,
      options.now + options.leaseMs,
    ]);
    for (const row of result.rows) claimed.push(toRecord(row));
  }
  return claimed;
}

/** An outbox row written in the same transaction as the transition that decided to send it. */
export interface OutboxInput {
  kind: 'email' | 'webhook';
  idempotencyKey: string;
  category?: string;
  customerId?: number | null;
  purposeId?: number | null;
  themeKey?: string | null;
  enrollmentId?: number | null;
  webhookId?: number | null;
  toAddress?: string | null;
  subject?: string | null;
  bodyText?: string | null;
  bodyHtml?: string | null;
  headers?: Record<string, string> | null;
  payload?: unknown;
  nextAttemptAt: number;
}

/** One enrollment's step(s) since it was claimed at `claimedSeq`. */
export interface TransitionCommit {
  enrollmentId: number;
  claimedSeq: number;
  position: Position;
  stepEvents: StepEventInput[];
  outbox?: OutboxInput[];
}

export interface CommitResult {
  /** Enrollments whose position, step events and outbox rows were written. */
  committed: number[];
  /** Enrollments this worker no longer held (lease expired and taken over, or ended from outside): nothing written. */
  lost: number[];
}

// One statement for the whole batch (data-modifying CTEs run atomically, in one round trip):
// positions are written only where this worker still holds the lease at the claimed seq, and
// step events and outbox rows are inserted only for the enrollments whose position was written.
const COMMIT_TRANSITIONS_SQL = `
  WITH saved AS (
    UPDATE enrollments e SET node_id = v.node_id, state = v.state, run_at = v.run_at, wait_key = v.wait_key, seq = v.seq,
      attempts = v.attempts, last_error = v.last_error, context = v.context, ended_at = v.ended_at, updated_at = $1,
      lease_owner = NULL, lease_expires_at = NULL
    FROM unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::int[], $10::int[],
                $11::text[], $12::jsonb[], $13::bigint[])
      AS v(id, claimed_seq, node_id, state, run_at, wait_key, seq, attempts, last_error, context, ended_at)
    WHERE e.id = v.id AND e.lease_owner = $2 AND e.seq = v.claimed_seq
    RETURNING e.id),
  events AS (
    INSERT INTO step_events (enrollment_id, seq, journey_id, version_id, customer_id, node_id, step_type, outcome, reason, context, at)
    SELECT x.eid, x.seq, x.jid, x.vid, x.cid, x.nid, x.st, x.oc, x.rs, x.ctx, x.at
    FROM unnest($14::int[], $15::int[], $16::int[], $17::int[], $18::int[], $19::int[], $20::text[], $21::text[], $22::text[],
                $23::text[], $24::jsonb[], $25::bigint[])
      AS x(commit_id, eid, seq, jid, vid, cid, nid, st, oc, rs, ctx, at)
    WHERE x.commit_id IN (SELECT id FROM saved)
    ON CONFLICT (enrollment_id, seq) DO NOTHING),
  messages AS (
    INSERT INTO outbox (kind, idempotency_key, category, customer_id, purpose_id, theme_key, enrollment_id, webhook_id,
      to_address, subject, body_text, body_html, headers, payload, next_attempt_at, status, attempts, created_at)
    SELECT m.k, m.ik, m.cat, m.cid, m.pid, m.tk, m.eid, m.wid, m.ta, m.sub, m.bt, m.bh, m.hd, m.pl, m.nat, 'queued', 0, $1
    FROM unnest($26::int[], $27::text[], $28::text[], $29::text[], $30::int[], $31::int[], $32::text[], $33::int[], $34::int[],
                $35::text[], $36::text[], $37::text[], $38::text[], $39::jsonb[], $40::jsonb[], $41::bigint[])
      AS m(commit_id, k, ik, cat, cid, pid, tk, eid, wid, ta, sub, bt, bh, hd, pl, nat)
    WHERE m.commit_id IN (SELECT id FROM saved)
    ON CONFLICT (idempotency_key) DO NOTHING)
  SELECT id FROM saved`;

const json = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

/**
 * Writes the new positions (releasing the leases), their step_events and outbox rows atomically,
 * in one statement for the whole batch. A position is only written while this worker still holds
 * the lease at the claimed seq; the events and messages of an enrollment whose lease was lost are
 * dropped with it, so a stale worker never records or sends twice.
 */
export async function commitTransitions(
  pool: Queryable,
  owner: string,
  commits: TransitionCommit[],
  now: number,
): Promise<CommitResult> {
  if (commits.length === 0) return { committed: [], lost: [] };
  const events = commits.flatMap((c) => c.stepEvents.map((event) => ({ commitId: c.enrollmentId, event })));
  const messages = commits.flatMap((c) =>
    (c.outbox ?? []).map((message) => ({ commitId: c.enrollmentId, message })),
  );
  const saved = await pool.query<{ id: number }>(COMMIT_TRANSITIONS_SQL, [
    now,
    owner,
    commits.map((c) => c.enrollmentId),
    commits.map((c) => c.claimedSeq),
    commits.map((c) => c.position.nodeId),
    commits.map((c) => c.position.state),
    commits.map((c) => c.position.runAt),
    commits.map((c) => c.position.waitKey),
    commits.map((c) => c.position.seq),
    commits.map((c) => c.position.attempts),
    commits.map((c) => c.position.lastError),
    commits.map((c) => JSON.stringify(c.position.context ?? {})),
    commits.map((c) => c.position.endedAt),
    events.map((e) => e.commitId),
    events.map((e) => e.event.enrollmentId),
    events.map((e) => e.event.seq),
    events.map((e) => e.event.journeyId),
    events.map((e) => e.event.versionId),
    events.map((e) => e.event.customerId),
    events.map((e) => e.event.nodeId),
    events.map((e) => e.event.stepType),
    events.map((e) => e.event.outcome),
    events.map((e) => e.event.reason),
    events.map((e) => json(e.event.context)),
    events.map((e) => e.event.at),
    messages.map((m) => m.commitId),
    messages.map((m) => m.message.kind),
    messages.map((m) => m.message.idempotencyKey),
    messages.map((m) => m.message.category ?? 'marketing'),
    messages.map((m) => m.message.customerId ?? null),
    messages.map((m) => m.message.purposeId ?? null),
    messages.map((m) => m.message.themeKey ?? null),
    messages.map((m) => m.message.enrollmentId ?? null),
    messages.map((m) => m.message.webhookId ?? null),
    messages.map((m) => m.message.toAddress ?? null),
    messages.map((m) => m.message.subject ?? null),
    messages.map((m) => m.message.bodyText ?? null),
    messages.map((m) => m.message.bodyHtml ?? null),
    messages.map((m) => json(m.message.headers)),
    messages.map((m) => json(m.message.payload)),
    messages.map((m) => m.message.nextAttemptAt),
  ]);
  const committedIds = new Set(saved.rows.map((row) => row.id));
  return {
    committed: commits.filter((c) => committedIds.has(c.enrollmentId)).map((c) => c.enrollmentId),
    lost: commits.filter((c) => !committedIds.has(c.enrollmentId)).map((c) => c.enrollmentId),
  };
}

/** A failed step: back off (run_at), keep the error, release the lease; only while still leased. */
export async function recordFailure(
  pool: Queryable,
  id: number,
  owner: string,
  failure: { attempts: number; runAt: number; lastError: string; now: number },
): Promise<boolean> {
  const result = await pool.query(
    `UPDATE enrollments SET attempts = $1, run_at = $2, last_error = $3, updated_at = $4,
       lease_owner = NULL, lease_expires_at = NULL WHERE id = $5 AND lease_owner = $6`,
    [failure.attempts, failure.runAt, failure.lastError, failure.now, id, owner],
  );
  return result.rowCount === 1;
}

export async function releaseLease(pool: Queryable, id: number, owner: string): Promise<void> {
  await pool.query(
    'UPDATE enrollments SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2',
    [id, owner],
  );
}

export async function findEnrollment(pool: Queryable, id: number): Promise<EnrollmentRecord | undefined> {
  const result = await pool.query<EnrollmentRow>('SELECT * FROM enrollments WHERE id = $1', [id]);
  return result.rows[0] ? toRecord(result.rows[0]) : undefined;
}

/** Enters customers in one statement; returns the new ids in input order. */
export async function insertEnrollments(pool: Queryable, enrollments: NewEnrollment[]): Promise<number[]> {
  if (enrollments.length === 0) return [];
  const result = await pool.query<{ id: number }>(
    `INSERT INTO enrollments (journey_id, version_id, customer_id, node_id, state, run_at, seq, attempts, context, test_mode,
       entered_at, updated_at)
     SELECT j, v, c, n, 'active', t, 0, 0, ctx, tm, t, t
     FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::jsonb[], $6::smallint[], $7::bigint[]) WITH ORDINALITY
       AS x(j, v, c, n, ctx, tm, t, ord)
     ORDER BY ord
     RETURNING id`,
    [
      enrollments.map((e) => e.journeyId),
      enrollments.map((e) => e.versionId),
      enrollments.map((e) => e.customerId),
      enrollments.map((e) => e.nodeId),
      enrollments.map((e) => JSON.stringify(e.context)),
      enrollments.map((e) => (e.testMode ? 1 : 0)),
      enrollments.map((e) => e.now),
    ],
  );
  return result.rows.map((row) => row.id);
}

/** Same wait keys as db/store/wakeups.ts: run_at = now so the next claim takes them at once. */
export async function wakeEnrollments(
  pool: Queryable,
  customerId: number,
  waitKeys: string[],
  now = Date.now(),
): Promise<number> {
  if (waitKeys.length === 0) return 0;
  const result = await pool.query(
    `UPDATE enrollments SET run_at = $1 WHERE customer_id = $2 AND state = 'waiting' AND wait_key = ANY($3::text[])`,
    [now, customerId, waitKeys],
  );
  return result.rowCount ?? 0;
}

export async function countEnrollmentsByState(
  pool: Queryable,
  journeyId?: number,
): Promise<Record<string, number>> {
  const result =
    journeyId === undefined
      ? await pool.query<{ state: string; n: string }>(
          'SELECT state, count(*) AS n FROM enrollments GROUP BY state',
        )
      : await pool.query<{ state: string; n: string }>(
          'SELECT state, count(*) AS n FROM enrollments WHERE journey_id = $1 GROUP BY state',
          [journeyId],
        );
  return Object.fromEntries(result.rows.map((row) => [row.state, Number(row.n)]));
}
