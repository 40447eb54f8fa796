import type { Db } from '../client';
import { prepared } from './enrollments';

// Hot path (every ingested event, every grant): one cached prepared statement per key, not a query build.
const WAKE_SQL =
  "UPDATE enrollments SET run_at = ? WHERE customer_id = ? AND state = 'waiting' AND wait_key = ?";

/**
 * Wait keys name what a waiting enrollment waits for: `consent:<purposeKey>` (a grant or
 * confirmed opt-in), `event:<eventName>`, `block-lift`. Waking sets run_at to now so the
 * next claim picks the enrollment up at once instead of at its timeout.
 */
export function wakeEnrollments(db: Db, customerId: number, waitKeys: string[], now = Date.now()): number {
  let woken = 0;
  const statement = prepared(db, WAKE_SQL);
  for (const key of waitKeys) woken += statement.run(now, customerId, key).changes;
  return woken;
}

export const waitKeys = {
  consent: (purposeKey: string) => `consent:${purposeKey}`,
  event: (eventName: string) => `event:${eventName}`,
  blockLift: () => 'block-lift',
};
