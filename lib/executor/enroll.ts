import type { Db } from '@/db/client';
import { insertEnrollment } from '@/db/store/enrollments';
import { latestEnrollments } from '@/db/store/enrollment-records';
import { consentStatesOfCustomer, eventsOfCustomer, type CustomerRuntime } from '@/db/store/journey-runtime';
import { type PublishedVersion } from '@/lib/versions/published';
import { evaluateConditionGroup, type ConditionGroup } from '@/lib/journey';
import { entryNodeOf, reentryAllowed } from './entry-rules';

/** Entering a journey: shared by single enrollments (lifecycle) and target-group rollouts (rollout). */

export type EnrollOutcome = { enrolled: true; enrollmentId: number } | { enrolled: false; reason: string };

/** Enrolls one customer at the entry of a published version if the re-entry policy allows it. */
export async function enrollIn(
  db: Db,
  version: PublishedVersion,
  customerId: number,
  entryReason: string,
  now: number,
  options: { testMode?: boolean; previous?: Awaited<ReturnType<typeof latestEnrollments>> } = {},
): Promise<EnrollOutcome> {
  const entry = entryNodeOf(version.graph);
  if (!entry) return { enrolled: false, reason: 'the journey has no entry step' };
  const previous = (options.previous ?? (await latestEnrollments(db, version.journeyId, [customerId]))).get(
    customerId,
  );
  const decision = options.testMode
    ? { allowed: true as const }
    : reentryAllowed(entry.config, previous, now);
  if (!decision.allowed) return { enrolled: false, reason: decision.reason };
  const enrollmentId = await insertEnrollment(db, {
    journeyId: version.journeyId,
    versionId: version.versionId,
    customerId,
    nodeId: entry.id,
    context: { entryReason, arrivedAt: now },
    testMode: options.testMode ?? false,
    now,
  });
  return { enrolled: true, enrollmentId };
}

export async function segmentMatches(
  db: Db,
  segment: ConditionGroup,
  customer: CustomerRuntime,
  now: number,
): Promise<boolean> {
  const eventNames = segment.conditions.flatMap((condition) =>
    condition.kind === 'event' ? [condition.name] : [],
  );
  const needsConsents = segment.conditions.some((condition) => condition.kind === 'consent');
  return evaluateConditionGroup(segment, {
    attributes: customer.attributes,
    consents: needsConsents ? await consentStatesOfCustomer(db, customer.id) : {},
    events: await eventsOfCustomer(db, customer.id, eventNames),
    now: new Date(now),
  });
}

/** Customers (or enrollments) handled per transaction in bulk work. */
export const ENTRY_PAGE = 1000;

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
