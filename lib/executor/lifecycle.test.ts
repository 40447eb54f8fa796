import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction, sqlRun, sqlAll } from '@/db/client';
import { findEnrollmentIn } from '@/db/store/enrollment-records';
import { insertPublishedVersion, updateJourney } from '@/db/store/journeys';
import type { JourneyGraph } from '@/lib/journey';
import { sampleJourneyUsingEveryStep } from '@/lib/journey/samples';
import { eraseCustomer } from '@/lib/privacy/forget';
import { useTempDatabase } from '@/tests/helpers/db';
import { MAX_ATTEMPTS, runExecutorBatch } from './engine';
import {
  archiveJourney,
  enrollCustomer,
  onCustomerChanged,
  onEventIngested,
  pauseJourney,
  purgeArchivedJourneys,
  resumeJourney,
  retryFailedEnrollment,
} from './lifecycle';
import { onJourneyPublished } from './rollout';
import { simulateJourney } from './simulate';
import {
  graphAround,
  insertFixtureCustomers,
  publishFixtureJourney,
  runUntilIdle,
  recordTestConsent,
  seedDemoPurposes,
} from '@/tests/fixtures/executor';

const database = useTempDatabase();
let customerIndex = 0;
const at = { x: 0, y: 0 };
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  await seedDemoPurposes();
});

async function newCustomers(count: number, attributes?: Record<string, unknown>): Promise<number[]> {
  const { firstId, lastId } = await writeTransaction(
    async (db) => await insertFixtureCustomers(db, count, { startIndex: customerIndex }),
  );
  customerIndex += count;
  const ids = Array.from({ length: lastId - firstId + 1 }, (_, i) => firstId + i);
  if (attributes) {
    for (const id of ids)
      await sqlRun(database.handle().db, 'UPDATE customers SET attributes = ? WHERE id = ?', [
        JSON.stringify(attributes),
        id,
      ]);
  }
  return ids;
}

async function publish(graph: JourneyGraph) {
  return await writeTransaction(async (db) => await publishFixtureJourney(db, 'lifecycle', graph));
}

async function query<T>(sql: string, ...params: unknown[]): Promise<T[]> {
  return (await sqlAll(database.handle().db, sql, [...params])) as T[];
}

async function enrollmentsOf(journeyId: number) {
  return await query<{ id: number; customer_id: number; state: string; node_id: string; version_id: number }>(
    'SELECT id, customer_id, state, node_id, version_id FROM enrollments WHERE journey_id = ? ORDER BY id',
    journeyId,
  );
}

async function ingest(customerId: number, name: string) {
  await writeTransaction(async (db) => {
    await sqlRun(
      db,
      'INSERT INTO events (customer_id, name, properties, occurred_at, created_at) VALUES (?, ?, ?, ?, ?)',
      [customerId, name, '{}', Date.now(), Date.now()],
    );
    await onEventIngested(db, customerId, { name, occurredAt: new Date(), properties: {} });
  });
}

const waitLong: JourneyGraph['nodes'][number] = {
  id: 'pause',
  type: 'wait',
  position: at,
  config: { mode: 'duration', minutes: 60 * 24 },
};

describe('entry', () => {
  it('enrolls the matching target group on publish, once, and later matches when customers change', async () => {
    const gold = await newCustomers(3, { tier: 'platinum' });
    await newCustomers(2, { tier: 'bronze' });
    const graph = graphAround(waitLong, ['next'], {
      mode: 'segment',
      segment: {
        match: 'all',
        conditions: [{ kind: 'attribute', key: 'tier', op: 'eq', value: 'platinum' }],
      },
      reentry: { policy: 'never' },
    });
    const { journeyId, versionId } = await publish(graph);
    expect(await onJourneyPublished(journeyId, versionId, { moveRunning: false })).toMatchObject({
      enrolled: 3,
    });
    expect((await enrollmentsOf(journeyId)).map((row) => row.customer_id)).toEqual(gold);
    // Publishing again does not enroll the same people twice.
    expect((await onJourneyPublished(journeyId, versionId, { moveRunning: false })).enrolled).toBe(0);

    const [late] = await newCustomers(1, { tier: 'bronze' });
    expect(await onCustomerChanged(late)).toBe(0);
    await sqlRun(database.handle().db, 'UPDATE customers SET attributes = ? WHERE id = ?', [
      JSON.stringify({ tier: 'platinum' }),
      late,
    ]);
    expect(await onCustomerChanged(late)).toBe(1);
  });

  it('starts event-triggered journeys from ingested events and applies the re-entry policy', async () => {
    const [customer] = await newCustomers(1);
    const never = await publish(
      graphAround({ id: 'end', type: 'exit', position: at, config: {} }, [], {
        eventName: 'bought',
        reentry: { policy: 'never' },
      }),
    );
    const always = await publish(
      graphAround({ id: 'end', type: 'exit', position: at, config: {} }, [], {
        eventName: 'bought',
        reentry: { policy: 'always' },
      }),
    );
    const period = await publish(
      graphAround({ id: 'end', type: 'exit', position: at, config: {} }, [], {
        eventName: 'bought',
        reentry: { policy: 'after-period', periodDays: 30 },
      }),
    );
    await ingest(customer, 'bought');
    await runUntilIdle(Date.now());
    await ingest(customer, 'bought');
    await runUntilIdle(Date.now());
    expect(await enrollmentsOf(never.journeyId)).toHaveLength(1);
    expect(await enrollmentsOf(always.journeyId)).toHaveLength(2);
    expect(await enrollmentsOf(period.journeyId)).toHaveLength(1);
    // Thirty days later the period has passed.
    await sqlRun(
      database.handle().db,
      'UPDATE enrollments SET entered_at = entered_at - ? WHERE journey_id = ?',
      [31 * DAY, period.journeyId],
    );
    await ingest(customer, 'bought');
    expect(await enrollmentsOf(period.journeyId)).toHaveLength(2);
  });

  it('never enrolls a customer twice while they are still in the journey', async () => {
    const [customer] = await newCustomers(1);
    const { journeyId } = await publish(graphAround(waitLong, ['next'], { reentry: { policy: 'always' } }));
    expect((await enrollCustomer(journeyId, customer)).ok).toBe(true);
    expect(await enrollCustomer(journeyId, customer)).toMatchObject({
      ok: false,
      error: { code: 'invalid_state' },
    });
  });
});

describe('goals and wake-ups', () => {
  it('a goal event ends the journey early with the reason', async () => {
    const [customer] = await newCustomers(1);
    const { journeyId } = await publish(
      graphAround(waitLong, ['next'], { goals: [{ eventName: 'purchased' }] }),
    );
    const enrolled = await enrollCustomer(journeyId, customer);
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    await runUntilIdle(Date.now());
    expect((await findEnrollmentIn(database.handle().db, enrolled.value.enrollmentId))?.state).toBe(
      'waiting',
    );
    await ingest(customer, 'purchased');
    const row = await findEnrollmentIn(database.handle().db, enrolled.value.enrollmentId);
    expect(row?.state).toBe('exited');
    const last = (
      await query<{ outcome: string; reason: string; seq: number }>(
        'SELECT outcome, reason, seq FROM step_events WHERE enrollment_id = ? ORDER BY seq DESC LIMIT 1',
        enrolled.value.enrollmentId,
      )
    )[0];
    expect(last).toEqual({ outcome: 'goal', reason: 'left early: goal "purchased" reached', seq: row?.seq });
  });
});

describe('pause, resume and failures', () => {
  it('a paused journey holds its customers and its mail; resuming continues', async () => {
    const [customer] = await newCustomers(1);
    await recordTestConsent(customer, 'newsletter');
    const { journeyId } = await publish(
      graphAround(
        {
          id: 'send',
          type: 'send-message',
          position: at,
          config: { purpose: 'newsletter', channel: 'email', subject: 'S', body: 'B' },
        },
        ['sent'],
      ),
    );
    const enrolled = await enrollCustomer(journeyId, customer);
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    expect(await pauseJourney(journeyId)).toEqual({ ok: true, value: undefined });
    expect(await runUntilIdle(Date.now())).toBe(0);
    expect((await enrollmentsOf(journeyId))[0].node_id).toBe('entry');
    await resumeJourney(journeyId);
    expect(await runUntilIdle(Date.now())).toBe(3);
    expect((await enrollmentsOf(journeyId))[0].state).toBe('completed');
  });

  it('retries a failing step with backoff, dead-letters it after the last attempt, and retry resets it', async () => {
    const [customer] = await newCustomers(1);
    const { journeyId } = await publish(graphAround(waitLong, ['next']));
    const enrolled = await enrollCustomer(journeyId, customer);
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    // A position the version does not know: the step cannot run.
    await sqlRun(database.handle().db, `UPDATE enrollments SET node_id = 'missing' WHERE id = ?`, [
      enrolled.value.enrollmentId,
    ]);
    let now = Date.now();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const batch = await runExecutorBatch({ workerId: 'w', now: () => now });
      expect(batch.failures).toBe(1);
      const row = await findEnrollmentIn(database.handle().db, enrolled.value.enrollmentId);
      if (attempt < MAX_ATTEMPTS) {
        expect(row).toMatchObject({ state: 'active', attempts: attempt });
        expect(row?.runAt).toBe(now + 2 ** attempt * 1000);
        expect(
          (await runExecutorBatch({ workerId: 'w', now: () => now + 2 ** attempt * 1000 - 1 })).claimed,
        ).toBe(0);
        now = row!.runAt;
      } else {
        expect(row).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS });
        expect(row?.lastError).toContain('step missing is not in version');
      }
    }
    await sqlRun(database.handle().db, `UPDATE enrollments SET node_id = 'pause' WHERE id = ?`, [
      enrolled.value.enrollmentId,
    ]);
    expect(await retryFailedEnrollment(enrolled.value.enrollmentId)).toEqual({ ok: true, value: undefined });
    await runUntilIdle(Date.now());
    expect(await findEnrollmentIn(database.handle().db, enrolled.value.enrollmentId)).toMatchObject({
      state: 'waiting',
      attempts: 0,
    });
  });
});

describe('versions and archival', () => {
  it('moves running customers to a new version where their step still exists, if asked', async () => {
    const customers = await newCustomers(2);
    const v1 = await publish(graphAround(waitLong, ['next']));
    for (const customer of customers) await enrollCustomer(v1.journeyId, customer);
    await runUntilIdle(Date.now());
    const v2 = await writeTransaction(async (db) => {
      const version = await insertPublishedVersion(db, {
        journeyId: v1.journeyId,
        graph: graphAround(waitLong, ['next']),
        authorId: null,
        changeSummary: 'v2',
      });
      await updateJourney(db, v1.journeyId, { liveVersionId: version.id }, null);
      return version.id;
    });
    const left = await onJourneyPublished(v1.journeyId, v2, { moveRunning: false });
    expect(left.moved).toBe(0);
    expect((await enrollmentsOf(v1.journeyId)).every((row) => row.version_id === v1.versionId)).toBe(true);
    const moved = await onJourneyPublished(v1.journeyId, v2, { moveRunning: true });
    expect(moved.moved).toBe(2);
    expect((await enrollmentsOf(v1.journeyId)).every((row) => row.version_id === v2)).toBe(true);
  });

  it('archiving stops running customers; the purge after retention keeps only aggregate counts', async () => {
    const customers = await newCustomers(3);
    const { journeyId } = await publish(graphAround(waitLong, ['next']));
    await enrollCustomer(journeyId, customers[0]);
    await runUntilIdle(Date.now());
    expect(await archiveJourney(journeyId)).toEqual({ ok: true, value: { stopped: 1 } });
    expect((await enrollmentsOf(journeyId)).map((row) => row.state)).toEqual(['cancelled']);
    expect(await purgeArchivedJourneys(Date.now())).not.toContain(journeyId);
    expect(await purgeArchivedJourneys(Date.now() + 31 * DAY)).toContain(journeyId);
    expect(await enrollmentsOf(journeyId)).toHaveLength(0);
    expect(await query('SELECT 1 FROM step_events WHERE journey_id = ?', journeyId)).toHaveLength(0);
    expect(
      await query<{ count: number }>(
        `SELECT count FROM journey_node_stats WHERE journey_id = ? AND node_id = 'entry'`,
        journeyId,
      ),
    ).toEqual([{ count: 1 }]);
  });
});

describe('erasure mid-journey', () => {
  it('an erasure request stops the journey and its queued mail; nothing more runs for that customer', async () => {
    const [customer] = await newCustomers(1);
    await recordTestConsent(customer, 'newsletter');
    const send = (id: string): JourneyGraph['nodes'][number] => ({
      id,
      type: 'send-message',
      position: at,
      config: { purpose: 'newsletter', channel: 'email', subject: id, body: 'B' },
    });
    const { journeyId } = await publish({
      nodes: [graphAround(waitLong, []).nodes[0], send('first'), { ...waitLong }, send('second')],
      edges: [
        { id: 'a', source: 'entry', sourceHandle: 'next', target: 'first' },
        { id: 'b', source: 'first', sourceHandle: 'sent', target: 'pause' },
        { id: 'c', source: 'pause', sourceHandle: 'next', target: 'second' },
      ],
    });
    const enrolled = await enrollCustomer(journeyId, customer);
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    await runUntilIdle(Date.now());
    expect(
      await query<{ status: string }>('SELECT status FROM outbox WHERE customer_id = ?', customer),
    ).toEqual([{ status: 'queued' }]);

    const erased = await eraseCustomer(customer, { source: 'staff', actor: 'user:1' });
    expect(erased.ok).toBe(true);
    expect((await findEnrollmentIn(database.handle().db, enrolled.value.enrollmentId))?.state).toBe(
      'cancelled',
    );
    expect(
      await query<{ status: string }>('SELECT status FROM outbox WHERE customer_id = ?', customer),
    ).toEqual([{ status: 'cancelled' }]);
    const events = (
      await query('SELECT 1 FROM step_events WHERE enrollment_id = ?', enrolled.value.enrollmentId)
    ).length;
    await runUntilIdle(Date.now() + 2 * DAY);
    expect(
      await query('SELECT 1 FROM step_events WHERE enrollment_id = ?', enrolled.value.enrollmentId),
    ).toHaveLength(events);
    expect(
      await query<{ status: string }>('SELECT status FROM outbox WHERE customer_id = ?', customer),
    ).toEqual([{ status: 'cancelled' }]);
    // A new event for an erased customer enrolls no one.
    expect(await enrollCustomer(journeyId, customer)).toMatchObject({
      ok: false,
      error: { code: 'erased_customer' },
    });
  });
});

describe('simulation (test mode)', () => {
  it('walks a real customer through every step type and leaves nothing behind', async () => {
    const [customer] = await newCustomers(1, { erasureRequested: true });
    const graph = sampleJourneyUsingEveryStep({
      newsletter: 'newsletter',
      offers: 'personalised-offers',
      partner: 'partner-transfer',
      partnerRecipient: 'avocado-coop',
    });
    const counts = async () =>
      (
        await query<{ n: number }>(
          `SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM enrollments) + (SELECT count(*) FROM consent_events) + (SELECT count(*) FROM contact_blocks) AS n`,
        )
      )[0].n;
    const before = await counts();

    const real = await simulateJourney(graph, {
      customerId: customer,
      startAt: new Date(Date.UTC(2030, 2, 1, 12)),
    });
    expect(real.steps.map((step) => `${step.nodeId}:${step.outcome}`)).toEqual([
      'entry:next',
      'block-check:clear',
      'opt-in:wait',
      'opt-in:expired',
      'exit-unconfirmed:completed',
    ]);
    expect(real.steps[3].at.getTime() - real.steps[2].at.getTime()).toBe(72 * 60 * 60 * 1000);

    const assumed = await simulateJourney(graph, {
      customerId: customer,
      startAt: new Date(Date.UTC(2030, 2, 1, 12)),
      assumeConsent: true,
    });
    const path = assumed.steps.map((step) => `${step.nodeId}:${step.outcome}`);
    expect(path).toContain('opt-in:confirmed');
    expect(path).toContain('welcome:sent');
    // The split sends the customer to one of the two offers.
    expect(path.filter((step) => step === 'offer:sent' || step === 'offer-b:sent')).toHaveLength(1);
    expect(path).toContain('block:next');
    expect(path.at(-1)).toBe('forget:completed');
    expect(assumed.steps.at(-1)?.reason).toContain('test mode');
    expect(await counts()).toBe(before);
    expect(
      (await query<{ status: string }>('SELECT status FROM customers WHERE id = ?', customer))[0].status,
    ).toBe('active');
  });
});
