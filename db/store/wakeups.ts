import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { enrollments } from '../schema';

/**
 * Wait keys name what a waiting enrollment waits for: `consent:<purposeKey>` (a grant or
 * confirmed opt-in), `event:<eventName>`, `block-lift`. Waking sets run_at to now so the
 * next claim picks the enrollment up at once instead of at its timeout.
 */
export function wakeEnrollments(db: Db, customerId: number, waitKeys: string[], now = Date.now()): number {
  if (waitKeys.length === 0) return 0;
  const result = db
    .update(enrollments)
    .set({ runAt: now })
    .where(
      and(eq(enrollments.customerId, customerId), eq(enrollments.state, 'waiting'), inArray(enrollments.waitKey, waitKeys)),
    )
    .run();
  return result.changes;
}

export const waitKeys = {
  consent: (purposeKey: string) => `consent:${purposeKey}`,
  event: (eventName: string) => `event:${eventName}`,
  blockLift: () => 'block-lift',
};
