import { getDb, openDatabase, writeTransaction, type Db } from '@/db/client';
import { endEnrollment, purgeJourneyEnrollmentData, resetFailedEnrollment } from '@/db/store/enrollments';
import {
  findEnrollmentIn,
  runningEnrollmentsOfCustomer,
  runningEnrollmentsOfCustomers,
  runningEnrollmentsPage,
  runningVersionsOfCustomers,
} from '@/db/store/enrollment-records';
import { incrementNodeStats, nodeStatKey } from '@/db/store/enrollment-positions';
import {
  archivedJourneysNotPurged,
  findCustomerRuntime,
  findJourneyRuntime,
  liveJourneys,
  markJourneyPurged,
  purposesByKey,
  setJourneyStatusIn,
} from '@/db/store/journey-runtime';
import { loadPublishedVersion } from '@/lib/versions/published';
import { cancelQueuedMailOfJourney } from '@/db/store/outbox';
import { wakeEnrollmentsOfCustomers, waitKeys } from '@/db/store/wakeups';
import { describeConditionGroup, getAnyStep } from '@/lib/journey';
import { enrollIn, ENTRY_PAGE, segmentMatches, yieldToEventLoop } from './enroll';
import { entryNodeOf } from './entry-rules';
import { DAY_MS } from './types';
import { signalWork } from '@/db/work-signal';
import { err, ok, type Failure, type Result } from '@/lib/result';

/**
 * How journeys start, stop and change around the executor. The canvas, API and privacy modules
 * call these; each is one transaction (or one per page of customers for bulk entry).
 */

export type EnrollCustomerResult = Result<
  { enrollmentId: number },
  Failure<'not_live' | 'unknown_customer' | 'erased_customer' | 'invalid_state'>
>;

/** Enrolls one customer by hand or by API (`POST /api/v1/journeys/{id}/enrollments`). */
export async function enrollCustomer(
  journeyId: number,
  customerId: number,
  options: { testMode?: boolean } = {},
): Promise<EnrollCustomerResult> {
  const result = await writeTransaction(async (db): Promise<EnrollCustomerResult> => {
    const journey = await findJourneyRuntime(db, journeyId);
    const allowedStatus = options.testMode ? journey?.status !== 'archived' : journey?.status === 'live';
    const version = journey?.liveVersionId
      ? await loadPublishedVersion(db, journey.liveVersionId)
      : undefined;
    if (!journey || !allowedStatus || !version) {
      return err('not_live', 'The journey is not live');
    }
    const customer = await findCustomerRuntime(db, customerId);
    if (!customer) return err('unknown_customer', 'customerId: no such customer', { field: 'customerId' });
    if (customer.status === 'erased') return err('erased_customer', 'The customer was erased');
    const outcome = await enrollIn(
      db,
      version,
      customerId,
      options.testMode ? 'entered: test enrollment' : 'entered: enrolled by staff or API',
      Date.now(),
      options,
    );
    return outcome.enrolled
      ? ok({ enrollmentId: outcome.enrollmentId })
      : err('invalid_state', `Not enrolled: ${outcome.reason}`);
  });
  return result;
}

export interface IngestedEvent {
  id?: number;
  name: string;
  occurredAt: Date;
  properties?: Record<string, unknown>;
}

/**
 * Called inside the event-insert transaction: goals end running journeys early, event-triggered
 * journeys enroll the customer, and enrollments waiting for this event wake at once.
 */
export async function onEventIngested(db: Db, customerId: number, event: IngestedEvent): Promise<void> {
  await onEventsIngested(db, [{ ...event, customerId }]);
}

/**
 * onEventIngested for a whole batch, in the batch's transaction, with the same effects in the same
 * order per event: the live journeys and the customers' running enrollments are read once for the
 * batch, goals and event entries are decided in memory (written only where one applies), and the
 * enrollments waiting for the batch's events are woken with one statement per event name.
 */
export async function onEventsIngested(
  db: Db,
  batch: readonly (IngestedEvent & { customerId: number })[],
): Promise<void> {
  if (batch.length === 0) return;
  const now = Date.now();
  const names = new Set(batch.map((event) => event.name));
  const customerIds = batch.map((event) => event.customerId);
  // Running enrollments are read only when one of their versions has a goal among these events.
  let goalsApply = false;
  for (const versionId of await runningVersionsOfCustomers(db, customerIds)) {
    const entry = entryNodeOf((await loadPublishedVersion(db, versionId))?.graph ?? { nodes: [], edges: [] });
    if (entry?.config.goals.some((goal) => names.has(goal.eventName))) goalsApply = true;
  }
  const running = goalsApply
    ? await runningEnrollmentsOfCustomers(db, customerIds)
    : new Map<number, Awaited<ReturnType<typeof runningEnrollmentsOfCustomer>>>();
  const eventEntries = new Map<string, NonNullable<Awaited<ReturnType<typeof loadPublishedVersion>>>[]>();
  for (const journey of await liveJourneys(db)) {
    const version = await loadPublishedVersion(db, journey.liveVersionId ?? -1);
    const entry = version ? entryNodeOf(version.graph) : undefined;
    if (!version || entry?.config.mode !== 'event' || !names.has(entry.config.eventName ?? '')) continue;
    const list = eventEntries.get(entry.config.eventName!) ?? [];
    list.push(version);
    eventEntries.set(entry.config.eventName!, list);
  }
  const ended = new Set<number>();
  const toWake = new Map<string, number[]>();
  for (const event of batch) {
    for (const enrollment of running.get(event.customerId) ?? []) {
      if (enrollment.testMode || ended.has(enrollment.id)) continue;
      const version = await loadPublishedVersion(db, enrollment.versionId);
      const entry = version ? entryNodeOf(version.graph) : undefined;
      if (!entry?.config.goals.some((goal) => goal.eventName === event.name)) continue;
      ended.add(enrollment.id);
      const done = await endEnrollment(db, enrollment, {
        state: 'exited',
        outcome: 'goal',
        reason: `left early: goal "${event.name}" reached`,
        stepType: 'goal',
        now,
      });
      if (done)
        await incrementNodeStats(
          db,
          enrollment.journeyId,
          new Map([[nodeStatKey(enrollment.nodeId, 'goal'), 1]]),
        );
    }
    let enrolled = false;
    for (const version of eventEntries.get(event.name) ?? []) {
      const outcome = await enrollIn(
        db,
        version,
        event.customerId,
        `entered: event "${event.name}" on ${event.occurredAt.toISOString().slice(0, 10)}`,
        now,
      );
      enrolled ||= outcome.enrolled;
    }
    // A later event of the batch may be a goal of the journey this one just started.
    if (enrolled) running.set(event.customerId, await runningEnrollmentsOfCustomer(db, event.customerId));
    const key = waitKeys.event(event.name);
    const customers = toWake.get(key) ?? [];
    customers.push(event.customerId);
    toWake.set(key, customers);
  }
  for (const [key, customers] of toWake) await wakeEnrollmentsOfCustomers(db, customers, key, now);
}

/** A customer's attributes or consents changed: enter target-group journeys they now match. */
export async function onCustomerChangedIn(db: Db, customerId: number): Promise<number> {
  const customer = await findCustomerRuntime(db, customerId);
  if (!customer || customer.status === 'erased') return 0;
  const now = Date.now();
  let enrolled = 0;
  for (const journey of await liveJourneys(db)) {
    const version = await loadPublishedVersion(db, journey.liveVersionId ?? -1);
    const entry = version ? entryNodeOf(version.graph) : undefined;
    if (!version || entry?.config.mode !== 'segment' || !entry.config.segment) continue;
    if (!(await segmentMatches(db, entry.config.segment, customer, now))) continue;
    const reason = `entered: now matches the target group (${describeConditionGroup(entry.config.segment)})`;
    if ((await enrollIn(db, version, customerId, reason, now)).enrolled) enrolled++;
  }
  return enrolled;
}

export async function onCustomerChanged(customerId: number): Promise<number> {
  return await writeTransaction(async (db) => await onCustomerChangedIn(db, customerId));
}

export type JourneyControlResult = Result<undefined, Failure<'not_found' | 'invalid_state'>>;

/** Holds every customer where they are and holds the journey's queued mail. */
export async function pauseJourney(journeyId: number): Promise<JourneyControlResult> {
  return await writeTransaction(async (db): Promise<JourneyControlResult> => {
    const journey = await findJourneyRuntime(db, journeyId);
    if (!journey) return err('not_found', 'No such journey');
    if (journey.status === 'paused') return ok();
    if (journey.status !== 'live')
      return err('invalid_state', `A ${journey.status} journey cannot be paused`);
    await setJourneyStatusIn(db, journeyId, 'paused', Date.now());
    return ok();
  });
}

export async function resumeJourney(journeyId: number): Promise<JourneyControlResult> {
  const result = await writeTransaction(async (db): Promise<JourneyControlResult> => {
    const journey = await findJourneyRuntime(db, journeyId);
    if (!journey) return err('not_found', 'No such journey');
    if (journey.status === 'live') return ok();
    if (journey.status !== 'paused')
      return err('invalid_state', `A ${journey.status} journey cannot be resumed`);
    await setJourneyStatusIn(db, journeyId, 'live', Date.now());
    // Its enrollments and held mail are due again.
    await signalWork(db);
    return ok();
  });
  return result;
}

/**
 * Archives a journey: running customers are stopped with a reason and its queued mail cancelled.
 * Per-enrollment data stays until the journey's retention has passed (see purgeArchivedJourneys).
 */
export async function archiveJourney(
  journeyId: number,
): Promise<Result<{ stopped: number }, Failure<'not_found'>>> {
  const handle = openDatabase();
  const started = await writeTransaction(async (db): Promise<Result<undefined, Failure<'not_found'>>> => {
    const journey = await findJourneyRuntime(db, journeyId);
    if (!journey) return err('not_found', 'No such journey');
    if (journey.status !== 'archived')
      await setJourneyStatusIn(db, journeyId, 'archived', Date.now(), { archivedAt: Date.now() });
    await cancelQueuedMailOfJourney(db, journeyId, 'journey archived');
    return ok();
  }, handle);
  if (!started.ok) return started;
  let stopped = 0;
  for (;;) {
    const page = await writeTransaction(async (db) => {
      const running = await runningEnrollmentsPage(db, journeyId, 0, ENTRY_PAGE);
      const now = Date.now();
      for (const enrollment of running) {
        if (
          await endEnrollment(db, enrollment, {
            state: 'cancelled',
            outcome: 'cancelled',
            reason: 'stopped: the journey was archived',
            stepType: 'archive',
            now,
          })
        )
          stopped++;
      }
      return running.length;
    }, handle);
    if (page < ENTRY_PAGE) break;
    await yieldToEventLoop();
  }
  return ok({ stopped });
}

/** Days per-enrollment data of a journey is kept after archival: the longest retention of its purposes. */
async function journeyRetentionDays(db: Db, versionId: number | null): Promise<number> {
  const version = versionId ? await loadPublishedVersion(db, versionId) : undefined;
  if (!version) return 0;
  const purposes = await purposesByKey(db);
  const days = version.graph.nodes.flatMap((node) => {
    const key = getAnyStep(node.type).purposeOf?.(node.config);
    const purpose = key ? purposes.get(key) : undefined;
    return purpose ? [purpose.retentionDays] : [];
  });
  return days.length ? Math.max(...days) : 30;
}

/** Purges enrollments and step events of archived journeys whose retention has passed; counts stay. */
export async function purgeArchivedJourneys(now = Date.now()): Promise<number[]> {
  const db = getDb();
  const purged: number[] = [];
  for (const journey of await archivedJourneysNotPurged(db)) {
    const retention = await journeyRetentionDays(db, journey.liveVersionId);
    if ((journey.archivedAt ?? now) + retention * DAY_MS > now) continue;
    await writeTransaction(async (tx) => {
      await purgeJourneyEnrollmentData(tx, journey.id);
      await markJourneyPurged(tx, journey.id, now);
    });
    purged.push(journey.id);
  }
  return purged;
}

/** The retry button on a dead-lettered enrollment. */
export async function retryFailedEnrollment(enrollmentId: number): Promise<JourneyControlResult> {
  const result = await writeTransaction(async (db): Promise<JourneyControlResult> => {
    const enrollment = await findEnrollmentIn(db, enrollmentId);
    if (!enrollment) return err('not_found', 'No such enrollment');
    if (enrollment.state !== 'failed')
      return err('invalid_state', `The enrollment is ${enrollment.state}, not failed`);
    await resetFailedEnrollment(db, enrollmentId, Date.now());
    return ok();
  });
  return result;
}
