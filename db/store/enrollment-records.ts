import { getDb, type Db, sqlGet, sqlAll } from '../client';
import { jsonList } from '../sql-lists';
import { type EnrollmentState } from '@/lib/vocabulary';

/** Reading enrollments: the record the executor and the pages use, and its lookups. */

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

export type EnrollmentRow = {
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

export function toRecord(row: EnrollmentRow): EnrollmentRecord {
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

/** The versions these customers have running enrollments in (one small query for a batch). */
export async function runningVersionsOfCustomers(db: Db, customerIds: readonly number[]): Promise<number[]> {
  if (customerIds.length === 0) return [];
  const rows = (await sqlAll(
    db,
    `SELECT DISTINCT version_id FROM enrollments WHERE customer_id IN ${jsonList(db)} AND state IN ('active', 'waiting')`,
    [JSON.stringify([...new Set(customerIds)])],
  )) as { version_id: number }[];
  return rows.map((row) => Number(row.version_id));
}

/** runningEnrollmentsOfCustomer for a batch of customers, in one query. */
export async function runningEnrollmentsOfCustomers(
  db: Db,
  customerIds: readonly number[],
): Promise<Map<number, EnrollmentRecord[]>> {
  const byCustomer = new Map<number, EnrollmentRecord[]>();
  if (customerIds.length === 0) return byCustomer;
  const rows = (await sqlAll(
    db,
    `SELECT * FROM enrollments WHERE customer_id IN ${jsonList(db)} AND state IN ('active', 'waiting') ORDER BY id`,
    [JSON.stringify([...new Set(customerIds)])],
  )) as EnrollmentRow[];
  for (const row of rows) {
    const record = toRecord(row);
    const list = byCustomer.get(record.customerId);
    if (list) list.push(record);
    else byCustomer.set(record.customerId, [record]);
  }
  return byCustomer;
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
