import { dialectOf, type Db, sqlGet, sqlAll, sqlRun } from '../client';
import { type EnrollmentState } from '@/lib/vocabulary';
import { toRecord, type EnrollmentRecord, type EnrollmentRow } from './enrollment-records';

/**
 * Durable positions of customers in journeys, the executor's hot path: claim, save position,
 * record step events and stats. Prepared raw statements: measured with `npm run bench:executor`,
 * drizzle's query building cost more than the SQL itself at 100k transitions. Every statement is
 * parameterized and portable (UPDATE … RETURNING exists in PostgreSQL too).
 */

// One statement per state so each walks the (state, run_at) index in order without sorting
// every due row; paused journeys hold their customers where they are. PostgreSQL lets several
// workers claim at once: SKIP LOCKED passes over rows another worker is claiming right now
// (SQLite has one writer at a time, BEGIN IMMEDIATE, so it needs no row locks).
const claimSql = (db: Db) => `
  UPDATE enrollments SET lease_owner = @owner, lease_expires_at = @leaseUntil
  WHERE id IN (
    SELECT id FROM enrollments
    WHERE state = @state AND run_at <= @now
      AND (lease_expires_at IS NULL OR lease_expires_at < @now)
      AND journey_id NOT IN (SELECT id FROM journeys WHERE status = 'paused')
    ORDER BY run_at LIMIT @limit${dialectOf(db) === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''})
  RETURNING *`;

export interface ClaimOptions {
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
}

/** Leases up to `limit` due enrollments (active first, then woken or timed-out waits); call inside BEGIN IMMEDIATE. */
export async function claimDueEnrollments(db: Db, options: ClaimOptions): Promise<EnrollmentRecord[]> {
  const claimed: EnrollmentRecord[] = [];
  for (const state of ['active', 'waiting'] as const) {
    const limit = options.limit - claimed.length;
    if (limit <= 0) break;
    const rows = (await sqlAll(db, claimSql(db), {
      owner: options.owner,
      leaseUntil: options.now + options.leaseMs,
      state,
      now: options.now,
      limit,
    })) as EnrollmentRow[];
    for (const row of rows) claimed.push(toRecord(row));
  }
  return claimed;
}

export interface Position {
  nodeId: string;
  state: EnrollmentState;
  runAt: number;
  waitKey: string | null;
  seq: number;
  attempts: number;
  lastError: string | null;
  context: Record<string, unknown>;
  endedAt: number | null;
}

/** Writes the new position and releases the lease (positional parameters: this runs once per claim). */
export async function savePosition(db: Db, id: number, position: Position, now: number): Promise<void> {
  await sqlRun(
    db,
    `UPDATE enrollments SET node_id = ?, state = ?, run_at = ?, wait_key = ?, seq = ?,
       attempts = ?, last_error = ?, context = ?, ended_at = ?, updated_at = ?,
       lease_owner = NULL, lease_expires_at = NULL
     WHERE id = ?`,
    [
      position.nodeId,
      position.state,
      position.runAt,
      position.waitKey,
      position.seq,
      position.attempts,
      position.lastError,
      JSON.stringify(position.context),
      position.endedAt,
      now,
      id,
    ],
  );
}

const POSITION_CHUNK = 100;
const POSITION_SQL = new Map<string, string>();

/** The column types of a position row: cast on PostgreSQL, where VALUES of parameters are text. */
const POSITION_COLUMNS: readonly [string, string][] = [
  ['id', 'integer'],
  ['node_id', 'text'],
  ['state', 'text'],
  ['run_at', 'bigint'],
  ['wait_key', 'text'],
  ['seq', 'integer'],
  ['attempts', 'integer'],
  ['last_error', 'text'],
  ['context', 'jsonb'],
  ['ended_at', 'bigint'],
];

function savePositionsSql(db: Db, rows: number): string {
  const dialect = dialectOf(db);
  const key = `${dialect}|${rows}`;
  let text = POSITION_SQL.get(key);
  if (text) return text;
  const cells = POSITION_COLUMNS.map(([, type]) => (dialect === 'postgres' ? `CAST(? AS ${type})` : '?'));
  const row = `(${cells.join(', ')})`;
  const names = POSITION_COLUMNS.map(([name]) => name);
  // A CTE with named columns, then UPDATE … FROM: the same text on SQLite (>= 3.33) and PostgreSQL.
  text = `WITH v (${names.join(', ')}) AS (VALUES ${new Array<string>(rows).fill(row).join(', ')})
     UPDATE enrollments SET ${names
       .slice(1)
       .map((name) => `${name} = v.${name}`)
       .join(', ')}, updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
     FROM v WHERE enrollments.id = v.id`;
  POSITION_SQL.set(key, text);
  return text;
}

/**
 * savePosition for many enrollments at once (multi-row UPDATE … FROM (VALUES …), one statement
 * per 100 rows): the executor buffers a batch's final positions and writes them here.
 */
export async function savePositions(
  db: Db,
  positions: readonly { id: number; position: Position }[],
  now: number,
): Promise<void> {
  for (let start = 0; start < positions.length; start += POSITION_CHUNK) {
    const chunk = positions.slice(start, start + POSITION_CHUNK);
    const values: unknown[] = [];
    for (const { id, position } of chunk) {
      values.push(
        id,
        position.nodeId,
        position.state,
        position.runAt,
        position.waitKey,
        position.seq,
        position.attempts,
        position.lastError,
        JSON.stringify(position.context),
        position.endedAt,
      );
    }
    values.push(now);
    await sqlRun(db, savePositionsSql(db, chunk.length), values);
  }
}

export interface StepEventInput {
  enrollmentId: number;
  seq: number;
  journeyId: number;
  versionId: number;
  customerId: number | null;
  nodeId: string;
  stepType: string;
  outcome: string;
  reason: string;
  context?: Record<string, unknown> | null;
  at: number;
}

/** Keyed by (enrollment, seq): recording the same transition twice leaves one row. */
export async function insertStepEvent(db: Db, event: StepEventInput): Promise<boolean> {
  const result = await sqlRun(
    db,
    `INSERT INTO step_events (enrollment_id, seq, journey_id, version_id, customer_id, node_id, step_type, outcome, reason, context, at)
     VALUES (@enrollmentId, @seq, @journeyId, @versionId, @customerId, @nodeId, @stepType, @outcome, @reason, @context, @at)
     ON CONFLICT (enrollment_id, seq) DO NOTHING`,
    { ...event, context: event.context ? JSON.stringify(event.context) : null },
  );
  return result.changes === 1;
}

const STEP_EVENT_COLUMNS = 11;
const STEP_EVENT_CHUNK = 50;

function stepEventInsertSql(rows: number): string {
  const row = `(${new Array<string>(STEP_EVENT_COLUMNS).fill('?').join(', ')})`;
  return `INSERT INTO step_events (enrollment_id, seq, journey_id, version_id, customer_id, node_id, step_type, outcome, reason, context, at)
     VALUES ${new Array<string>(rows).fill(row).join(', ')}
     ON CONFLICT (enrollment_id, seq) DO NOTHING`;
}
const STEP_EVENT_SQL_BY_ROWS = new Map<number, string>();

/**
 * Inserts many step events with multi-row INSERTs (one prepared statement per chunk size), the
 * same rows and conflict rule as insertStepEvent. The executor buffers a batch's events and
 * writes them here: one statement per 50 rows costs a fraction of 50 statements (measured).
 */
export async function insertStepEvents(db: Db, events: readonly StepEventInput[]): Promise<void> {
  for (let start = 0; start < events.length; start += STEP_EVENT_CHUNK) {
    const chunk = events.slice(start, start + STEP_EVENT_CHUNK);
    let text = STEP_EVENT_SQL_BY_ROWS.get(chunk.length);
    if (!text) {
      text = stepEventInsertSql(chunk.length);
      STEP_EVENT_SQL_BY_ROWS.set(chunk.length, text);
    }
    const values: unknown[] = [];
    for (const event of chunk) {
      values.push(
        event.enrollmentId,
        event.seq,
        event.journeyId,
        event.versionId,
        event.customerId,
        event.nodeId,
        event.stepType,
        event.outcome,
        event.reason,
        event.context ? JSON.stringify(event.context) : null,
        event.at,
      );
    }
    await sqlRun(db, text, values);
  }
}

/** Adds to the per-node, per-handle counts that survive archival. */
export async function incrementNodeStats(
  db: Db,
  journeyId: number,
  counts: Map<string, number>,
): Promise<void> {
  for (const [key, count] of counts) {
    const [nodeId, handle] = JSON.parse(key) as [string, string];
    await sqlRun(
      db,
      `INSERT INTO journey_node_stats (journey_id, node_id, handle, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (journey_id, node_id, handle) DO UPDATE SET count = journey_node_stats.count + excluded.count`,
      [journeyId, nodeId, handle, count],
    );
  }
}

export function nodeStatKey(nodeId: string, handle: string): string {
  return JSON.stringify([nodeId, handle]);
}

export async function recordFailure(
  db: Db,
  id: number,
  failure: { attempts: number; runAt: number; lastError: string; now: number },
): Promise<void> {
  await sqlRun(
    db,
    `UPDATE enrollments SET attempts = @attempts, run_at = @runAt, last_error = @lastError, updated_at = @now,
       lease_owner = NULL, lease_expires_at = NULL WHERE id = @id`,
    { ...failure, id },
  );
}

/**
 * Records a decision made outside the enrollment's own steps (e.g. the dispatcher cancelling a
 * mail whose consent was withdrawn) as the enrollment's next step event, so the customer's
 * history shows it. The seq bump makes a worker holding a lease on it re-read before applying.
 */
export async function appendStepNote(
  db: Db,
  enrollmentId: number,
  note: { nodeId: string; stepType: string; outcome: string; reason: string; at: number },
): Promise<boolean> {
  const row = (await sqlGet(
    db,
    'UPDATE enrollments SET seq = seq + 1, updated_at = ? WHERE id = ? RETURNING seq, journey_id, version_id, customer_id',
    [note.at, enrollmentId],
  )) as { seq: number; journey_id: number; version_id: number; customer_id: number } | undefined;
  if (!row) return false;
  return await insertStepEvent(db, {
    enrollmentId,
    seq: row.seq,
    journeyId: row.journey_id,
    versionId: row.version_id,
    customerId: row.customer_id,
    ...note,
  });
}
