import { and, eq, inArray, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import {
  customers,
  enrollments,
  events,
  idempotencyKeys,
  outbox,
  privacyRequests,
  stepEvents,
} from '../schema';
import { TERMINAL_ENROLLMENT_STATES } from '@/lib/vocabulary';
import { escapeLike } from './privacy-outbox';

/** Stops every running or waiting journey of the customer and drops what the journeys gathered. */
export async function cancelEnrollmentsOf(db: Db, customerId: number, now: Date): Promise<number> {
  const stopped = (
    await db
      .update(enrollments)
      .set({
        state: 'cancelled',
        waitKey: null,
        endedAt: now,
        updatedAt: now,
        leaseOwner: null,
        leaseExpiresAt: null,
        lastError: 'customer erased',
      })
      .where(
        and(
          eq(enrollments.customerId, customerId),
          notInArray(enrollments.state, [...TERMINAL_ENROLLMENT_STATES]),
        ),
      )
      .run()
  ).changes;
  await db.update(enrollments).set({ context: {} }).where(eq(enrollments.customerId, customerId)).run();
  return stopped;
}

export async function eraseStepEventContextOf(db: Db, customerId: number): Promise<number> {
  return (
    await db.update(stepEvents).set({ context: null }).where(eq(stepEvents.customerId, customerId)).run()
  ).changes;
}

export async function deleteEventsOf(db: Db, customerId: number): Promise<number> {
  return (await db.delete(events).where(eq(events.customerId, customerId)).run()).changes;
}

export async function eraseProfile(
  db: Db,
  customerId: number,
  mode: 'erased' | 'restricted',
  now: Date,
): Promise<void> {
  if (mode === 'erased') {
    await db
      .update(customers)
      .set({ email: null, name: '', externalId: null, attributes: {}, status: 'erased', updatedAt: now })
      .where(eq(customers.id, customerId))
      .run();
  } else {
    // Kept only as far as the retention duty needs the identity; everything else goes.
    await db
      .update(customers)
      .set({ attributes: {}, status: 'restricted', updatedAt: now })
      .where(eq(customers.id, customerId))
      .run();
  }
}

/** Request details may quote the address the person wrote from. */
export async function redactRequestDetails(
  db: Db,
  customerId: number,
  address: string | null,
): Promise<number> {
  let changed = (
    await db
      .update(privacyRequests)
      .set({ details: { redacted: true } })
      .where(eq(privacyRequests.customerId, customerId))
      .run()
  ).changes;
  if (address) {
    const pattern = `%${escapeLike(address)}%`;
    changed += (
      await db
        .update(privacyRequests)
        .set({ details: { redacted: true } })
        // Portable LIKE: details is jsonb on PostgreSQL, and LIKE is case-sensitive there.
        .where(sql`lower(CAST(${privacyRequests.details} AS TEXT)) LIKE lower(${pattern}) ESCAPE '\\'`)
        .run()
    ).changes;
  }
  return changed;
}

/**
 * Cached API responses (idempotency replay) may contain the profile: those tagged with the
 * customer's id (whatever address they show), and any that mention the address.
 */
export async function deleteCachedResponsesMentioning(
  db: Db,
  address: string | null,
  customerId: number,
): Promise<number> {
  const pattern = address ? `%${escapeLike(address)}%` : null;
  return (
    await db
      .delete(idempotencyKeys)
      .where(
        pattern
          ? or(
              eq(idempotencyKeys.customerId, customerId),
              sql`lower(${idempotencyKeys.body}) LIKE lower(${pattern}) ESCAPE '\\'`,
            )
          : eq(idempotencyKeys.customerId, customerId),
      )
      .run()
  ).changes;
}

/** Purposes under a legal retention duty that hold records of this customer. */
export async function dutyPurposeIdsWithRecords(
  db: Db,
  customerId: number,
  dutyPurposeIds: number[],
): Promise<number[]> {
  if (dutyPurposeIds.length === 0) return [];
  return (
    await db
      .selectDistinct({ purposeId: outbox.purposeId })
      .from(outbox)
      .where(and(eq(outbox.customerId, customerId), inArray(outbox.purposeId, dutyPurposeIds)))
      .all()
  )
    .map((r) => r.purposeId)
    .filter((id): id is number => id !== null);
}
