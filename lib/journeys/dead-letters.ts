import { getDb } from '@/db/client';
import { recordAudit } from '@/db/store/audit';
import { findCustomer } from '@/db/store/customers';
import {
  countEnrollmentsByState,
  findEnrollment,
  listFailedEnrollments,
} from '@/db/store/enrollment-records';
import { retryFailedEnrollment } from '@/lib/executor/lifecycle';
import { err, ok, type Failure, type Result } from '@/lib/result';
import type { Actor } from './service';

/** One dead-lettered enrollment as the live view's "Failed" panel shows it. */
export interface DeadLetter {
  enrollmentId: number;
  customerId: number;
  /** The customer's name, or null when erased or never given (the UI shows the id then). */
  customerName: string | null;
  nodeId: string;
  attempts: number;
  lastError: string | null;
  failedAt: string;
}

/** Failed enrollments of a journey, newest first, with the customer's display name. */
export async function listDeadLetters(journeyId: number, limit = 100): Promise<DeadLetter[]> {
  const failed = await listFailedEnrollments(journeyId, limit);
  const db = getDb();
  const names = new Map<number, string | null>();
  for (const row of failed) {
    if (names.has(row.customerId)) continue;
    const customer = await findCustomer(db, row.customerId);
    names.set(
      row.customerId,
      customer && customer.status !== 'erased' && customer.name ? customer.name : null,
    );
  }
  return failed.map((row) => ({
    enrollmentId: row.id,
    customerId: row.customerId,
    customerName: names.get(row.customerId) ?? null,
    nodeId: row.nodeId,
    attempts: row.attempts,
    lastError: row.lastError,
    failedAt: new Date(row.updatedAt).toISOString(),
  }));
}

export type RetryDeadLetterResult = Result<undefined, Failure<'not_found' | 'invalid_state'>>;

/**
 * The Retry button: puts a dead-lettered enrollment back in the queue at the step it failed on.
 * The enrollment must belong to the journey in the URL, so one journey's page cannot retry another's.
 */
export async function retryDeadLetter(
  actor: Actor,
  journeyId: number,
  enrollmentId: number,
): Promise<RetryDeadLetterResult> {
  const enrollment = await findEnrollment(enrollmentId);
  if (!enrollment || enrollment.journeyId !== journeyId || enrollment.testMode)
    return err('not_found', 'No such enrollment in this journey');
  const result = await retryFailedEnrollment(enrollmentId);
  if (!result.ok) return result;
  await recordAudit({
    actorType: 'user',
    actorId: actor.id,
    action: 'journey.enrollment.retry',
    targetType: 'journey',
    targetId: journeyId,
    details: { enrollmentId, nodeId: enrollment.nodeId, attempts: enrollment.attempts },
  });
  return ok();
}

/** Failed enrollments per journey, for the badge on the journey list (journeys without any are left out). */
export async function failedCountsByJourney(journeyIds: number[]): Promise<Map<number, number>> {
  const db = getDb();
  const counts = new Map<number, number>();
  for (const id of journeyIds) {
    const failed = (await countEnrollmentsByState(db, id)).failed ?? 0;
    if (failed > 0) counts.set(id, failed);
  }
  return counts;
}

/**
 * Customers still on their way through a journey (including dead letters, which a publish also
 * moves): when there are any, publishing asks whether they follow the new version.
 */
export async function runningCustomerCount(journeyId: number): Promise<number> {
  const byState = await countEnrollmentsByState(getDb(), journeyId);
  return (byState.active ?? 0) + (byState.waiting ?? 0) + (byState.failed ?? 0);
}
