import type { Db } from '@/db/client';
import { insertStepEvent, recordFailure, savePosition } from '@/db/store/enrollment-positions';
import type { EnrollmentRecord } from '@/db/store/enrollment-records';

/** Attempts of a step before its enrollment is dead-lettered. */
export const MAX_ATTEMPTS = 5;

/**
 * Retry with exponential backoff (2^attempts s); after MAX_ATTEMPTS the enrollment is dead-lettered
 * ('failed', with its error) until someone presses retry.
 */
export async function recordHandlerFailure(
  db: Db,
  enrollment: EnrollmentRecord,
  error: unknown,
  now: number,
): Promise<boolean> {
  const message = error instanceof Error ? error.message : String(error);
  const attempts = enrollment.attempts + 1;
  if (attempts < MAX_ATTEMPTS) {
    await savePosition(db, enrollment.id, enrollment, now);
    await recordFailure(db, enrollment.id, {
      attempts,
      runAt: now + 2 ** attempts * 1000,
      lastError: message,
      now,
    });
    return false;
  }
  const seq = enrollment.seq + 1;
  await savePosition(
    db,
    enrollment.id,
    { ...enrollment, state: 'failed', seq, attempts, lastError: message, endedAt: null },
    now,
  );
  await insertStepEvent(db, {
    enrollmentId: enrollment.id,
    seq,
    journeyId: enrollment.journeyId,
    versionId: enrollment.versionId,
    customerId: enrollment.customerId,
    nodeId: enrollment.nodeId,
    stepType: 'error',
    outcome: 'failed',
    reason: `stopped after ${attempts} failed attempts: ${message.slice(0, 300)}`,
    at: now,
  });
  return true;
}
