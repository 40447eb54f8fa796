import { dialectOf, sqlRun, type Db } from '../client';
import { customerIdsAmong, jsonList } from '../sql-lists';
import { signalWork } from '../work-signal';

// Hot path (every ingested event, every grant): one cached prepared statement per key, not a query build.
const WAKE_SQL =
  "UPDATE enrollments SET run_at = ? WHERE customer_id = ? AND state = 'waiting' AND wait_key = ?";

/**
 * Wait keys name what a waiting enrollment waits for: `consent:<purposeKey>` (a grant or
 * confirmed opt-in), `event:<eventName>`, `block-lift`. Waking sets run_at to now so the
 * next claim picks the enrollment up at once instead of at its timeout.
 */
export async function wakeEnrollments(
  db: Db,
  customerId: number,
  waitKeys: string[],
  now = Date.now(),
): Promise<number> {
  let woken = 0;
  for (const key of waitKeys) woken += (await sqlRun(db, WAKE_SQL, [now, customerId, key])).changes;
  if (woken > 0) await signalWork(db);
  return woken;
}

/**
 * wakeEnrollments for many customers and one wait key, in one statement (an event batch wakes
 * everyone waiting for its events this way). PostgreSQL locks the rows in id order first, so two
 * batches waking overlapping customers cannot deadlock.
 */
export async function wakeEnrollmentsOfCustomers(
  db: Db,
  customerIds: readonly number[],
  waitKey: string,
  now = Date.now(),
): Promise<number> {
  if (customerIds.length === 0) return 0;
  const waiting = `SELECT id FROM enrollments WHERE customer_id IN ${jsonList(db)} AND state = 'waiting' AND wait_key = ?`;
  const woken = (
    await sqlRun(
      db,
      `UPDATE enrollments SET run_at = ? WHERE id IN (${waiting}${dialectOf(db) === 'postgres' ? ' ORDER BY id FOR UPDATE' : ''})`,
      [now, JSON.stringify([...new Set(customerIds)]), waitKey],
    )
  ).changes;
  if (woken > 0) await signalWork(db);
  return woken;
}

/**
 * PostgreSQL: locks the customer's waiting enrollments (in id order) until the transaction ends.
 * A consent append that may wake them calls this before the ledger lock, so a web grant takes
 * its locks in the order an executor batch does (rows, then the ledger; db/advisory-locks.ts).
 */
export async function lockWaitingEnrollments(db: Db, customerId: number): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sqlRun(
    db,
    "SELECT id FROM enrollments WHERE customer_id = ? AND state = 'waiting' ORDER BY id FOR UPDATE",
    [customerId],
  );
}

// A vocabulary (lib/vocabulary), re-exported beside the store call that uses it.
export { waitKeys } from '@/lib/vocabulary/wait-keys';

/** Which of these customers have an enrollment waiting (for anything). */
export async function customersWithWaitingEnrollments(
  db: Db,
  customerIds: readonly number[],
): Promise<number[]> {
  return await customerIdsAmong(
    db,
    customerIds,
    (list) =>
      `SELECT DISTINCT customer_id FROM enrollments WHERE state = 'waiting' AND customer_id IN ${list}`,
  );
}
