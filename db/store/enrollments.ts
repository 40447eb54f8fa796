import { dialectOf, getDb, type Db, sqlGet, sqlAll, sqlRun } from '../client';
import { type EnrollmentState } from '@/lib/vocabulary';
import { signalWork } from '../work-signal';

/**
 * Durable positions of customers in journeys. The executor's hot path (claim, save position,
 * record step events) uses prepared raw statements: measured with `npm run bench:executor`,
 * drizzle's query building cost more than the SQL itself at 100k transitions. Every statement is
 * parameterized and portable (UPDATE … RETURNING exists in PostgreSQL too).
 */

export interface EnrollmentRecord {
  id: number;
  journeyId: number;
  versionId: number;
  customerId: number;
  nodeId: string;
  state: EnrollmentState;
  waitKey: string | null;
  runAt: number;
  seq: number;
  attempts: number;
  lastError: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  context: Record<string, unknown>;
  testMode: boolean;
  enteredAt: number;
  endedAt: number | null;
}

type EnrollmentRow = {
  id: number;
  journey_id: number;
  version_id: number;
  customer_id: number;
  node_id: string;
  state: EnrollmentState;
  wait_key: string | null;
  run_at: number;
  seq: number;
  attempts: number;
  last_error: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  context: string | null;
  test_mode: number;
  entered_at: number;
  ended_at: number | null;
};

function toRecord(row: EnrollmentRow): EnrollmentRecord {
  return {
    id: row.id,
    journeyId: row.journey_id,
    versionId: row.version_id,
    customerId: row.customer_id,
    nodeId: row.node_id,
    state: row.state,
    waitKey: row.wait_key,
    runAt: row.run_at,
    seq: row.seq,
    attempts: row.attempts,
    lastError: row.last_error,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    context: row.context ? (JSON.parse(row.context) as Record<string, unknown>) : {},
    testMode: row.test_mode === 1,
    enteredAt: row.entered_at,
    endedAt: row.ended_at,
  };
}

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

/** The enrollment as it is now, only if this worker still holds its lease at the claimed seq. */
export async function findLeasedEnrollment(
  db: Db,
  id: number,
  owner: string,
  seq: number,
): Promise<EnrollmentRecord | undefined> {
  const row = (await sqlGet(db, 'SELECT * FROM enrollments WHERE id = ? AND lease_owner = ? AND seq = ?', [
    id,
    owner,
    seq,
  ])) as EnrollmentRow | undefined;
  return row ? toRecord(row) : undefined;
}

export async function findEnrollmentIn(db: Db, id: number): Promise<EnrollmentRecord | undefined> {
  const row = (await sqlGet(db, 'SELECT * FROM enrollments WHERE id = ?', [id])) as EnrollmentRow | undefined;
  return row ? toRecord(row) : undefined;
}

export async function findEnrollment(id: number): Promise<EnrollmentRecord | undefined> {
  return await findEnrollmentIn(getDb(), id);
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

export interface NewEnrollment {
  journeyId: number;
  versionId: number;
  customerId: number;
  nodeId: string;
  context: Record<string, unknown>;
  testMode: boolean;
  now: number;
}

export async function insertEnrollment(db: Db, enrollment: NewEnrollment): Promise<number> {
  const row = (await sqlGet(
    db,
    `INSERT INTO enrollments (journey_id, version_id, customer_id, node_id, state, run_at, seq, attempts, context, test_mode, entered_at, updated_at)
     VALUES (@journeyId, @versionId, @customerId, @nodeId, 'active', @now, 0, 0, @context, @testMode, @now, @now) RETURNING id`,
    {
      ...enrollment,
      context: JSON.stringify(enrollment.context),
      testMode: enrollment.testMode ? 1 : 0,
    },
  )) as { id: number };
  await signalWork(db);
  return row.id;
}

export interface PastEnrollment {
  customerId: number;
  state: EnrollmentState;
  enteredAt: number;
  endedAt: number | null;
}

/** Each customer's most recent enrollment in a journey (for the re-entry policy); batch-shaped. */
export async function latestEnrollments(
  db: Db,
  journeyId: number,
  customerIds: number[],
): Promise<Map<number, PastEnrollment>> {
  const result = new Map<number, PastEnrollment>();
  for (const customerId of customerIds) {
    const row = await sqlGet<{
      customer_id: number;
      state: EnrollmentState;
      entered_at: number;
      ended_at: number | null;
    }>(
      db,
      `SELECT customer_id, state, entered_at, ended_at FROM enrollments
       WHERE journey_id = ? AND customer_id = ? AND test_mode = 0 ORDER BY id DESC LIMIT 1`,
      [journeyId, customerId],
    );
    if (row)
      result.set(customerId, {
        customerId,
        state: row.state,
        enteredAt: row.entered_at,
        endedAt: row.ended_at,
      });
  }
  return result;
}

/** Running (active or waiting) enrollments of a customer, optionally limited to some journeys. */
export async function runningEnrollmentsOfCustomer(db: Db, customerId: number): Promise<EnrollmentRecord[]> {
  const rows = (await sqlAll(
    db,
    `SELECT * FROM enrollments WHERE customer_id = ? AND state IN ('active', 'waiting')`,
    [customerId],
  )) as EnrollmentRow[];
  return rows.map(toRecord);
}

/**
 * Ends an enrollment from outside its own steps (goal reached, erasure, archival): one step_event
 * with the reason, seq + 1 so a worker holding a lease on it sees the change and skips it.
 */
export async function endEnrollment(
  db: Db,
  enrollment: Pick<EnrollmentRecord, 'id' | 'journeyId' | 'versionId' | 'customerId' | 'nodeId' | 'seq'>,
  end: {
    state: 'completed' | 'exited' | 'cancelled';
    outcome: string;
    reason: string;
    stepType: string;
    now: number;
  },
): Promise<boolean> {
  const changed = await sqlRun(
    db,
    `UPDATE enrollments SET state = @state, seq = seq + 1, ended_at = @now, updated_at = @now, wait_key = NULL,
       lease_owner = NULL, lease_expires_at = NULL
     WHERE id = @id AND seq = @seq AND state IN ('active', 'waiting', 'failed')`,
    { state: end.state, now: end.now, id: enrollment.id, seq: enrollment.seq },
  );
  if (changed.changes === 0) return false;
  await insertStepEvent(db, {
    enrollmentId: enrollment.id,
    seq: enrollment.seq + 1,
    journeyId: enrollment.journeyId,
    versionId: enrollment.versionId,
    customerId: enrollment.customerId,
    nodeId: enrollment.nodeId,
    stepType: end.stepType,
    outcome: end.outcome,
    reason: end.reason,
    at: end.now,
  });
  return true;
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

/** Moves a dead-lettered enrollment back into the queue at the step it failed on. */
export async function resetFailedEnrollment(db: Db, id: number, now: number): Promise<boolean> {
  const result = await sqlRun(
    db,
    `UPDATE enrollments SET state = 'active', attempts = 0, last_error = NULL, run_at = ?, updated_at = ?, ended_at = NULL,
       lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND state = 'failed'`,
    [now, now, id],
  );
  if (result.changes === 0) return false;
  await signalWork(db);
  return true;
}

/** Running enrollments of a journey, a page at a time by id, so callers never hold them all. */
export async function runningEnrollmentsPage(
  db: Db,
  journeyId: number,
  afterId: number,
  limit: number,
): Promise<EnrollmentRecord[]> {
  const rows = (await sqlAll(
    db,
    `SELECT * FROM enrollments WHERE journey_id = ? AND id > ? AND state IN ('active', 'waiting', 'failed') ORDER BY id LIMIT ?`,
    [journeyId, afterId, limit],
  )) as EnrollmentRow[];
  return rows.map(toRecord);
}

/** Moves running enrollments to another version of the same journey (node ids match). */
export async function moveEnrollmentsToVersion(
  db: Db,
  ids: number[],
  versionId: number,
  now: number,
): Promise<void> {
  for (const id of ids)
    await sqlRun(db, 'UPDATE enrollments SET version_id = ?, updated_at = ? WHERE id = ?', [
      versionId,
      now,
      id,
    ]);
}

/** Archival purge: per-enrollment data goes, aggregate counts in journey_node_stats stay. */
export async function purgeJourneyEnrollmentData(
  db: Db,
  journeyId: number,
): Promise<{ enrollments: number; stepEvents: number }> {
  const stepEvents = (await sqlRun(db, 'DELETE FROM step_events WHERE journey_id = ?', [journeyId])).changes;
  const removed = (
    await sqlRun(
      db,
      `DELETE FROM enrollments WHERE journey_id = ? AND state IN ('completed', 'exited', 'cancelled', 'failed')`,
      [journeyId],
    )
  ).changes;
  return { enrollments: removed, stepEvents };
}

export async function countEnrollmentsByState(db: Db, journeyId?: number): Promise<Record<string, number>> {
  const rows = (
    journeyId === undefined
      ? await sqlAll(db, 'SELECT state, count(*) AS n FROM enrollments GROUP BY state')
      : await sqlAll(db, 'SELECT state, count(*) AS n FROM enrollments WHERE journey_id = ? GROUP BY state', [
          journeyId,
        ])
  ) as { state: string; n: number }[];
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

export interface FailedEnrollment {
  id: number;
  journeyId: number;
  customerId: number;
  nodeId: string;
  attempts: number;
  lastError: string | null;
  updatedAt: number;
}

/** Dead letters of a journey for the UI, newest first. */
export async function listFailedEnrollments(journeyId: number, limit = 100): Promise<FailedEnrollment[]> {
  const rows = (await sqlAll(
    getDb(),
    `SELECT id, journey_id, customer_id, node_id, attempts, last_error, updated_at FROM enrollments
     WHERE journey_id = ? AND state = 'failed' ORDER BY updated_at DESC LIMIT ?`,
    [journeyId, limit],
  )) as {
    id: number;
    journey_id: number;
    customer_id: number;
    node_id: string;
    attempts: number;
    last_error: string | null;
    updated_at: number;
  }[];
  return rows.map((row) => ({
    id: row.id,
    journeyId: row.journey_id,
    customerId: row.customer_id,
    nodeId: row.node_id,
    attempts: row.attempts,
    lastError: row.last_error,
    updatedAt: row.updated_at,
  }));
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
