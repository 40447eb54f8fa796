import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction, sqlRun, sqlAll } from '@/db/client';
import { findEnrollmentIn } from '@/db/store/enrollment-records';
import { MAX_ATTEMPTS, runExecutorBatch } from '@/lib/executor/engine';
import { enrollCustomer } from '@/lib/executor/lifecycle';
import {
  graphAround,
  insertFixtureCustomers,
  publishFixtureJourney,
  runUntilIdle,
  seedDemoPurposes,
} from '@/tests/fixtures/executor';
import type { JourneyGraph } from '@/lib/journey';
import { useTempDatabase } from '@/tests/helpers/db';
import {
  failedCountsByJourney,
  listDeadLetters,
  retryDeadLetter,
  runningCustomerCount,
} from './dead-letters';

const database = useTempDatabase();
const waitLong: JourneyGraph['nodes'][number] = {
  id: 'pause',
  type: 'wait',
  title: 'Pause a day',
  position: { x: 0, y: 0 },
  config: { mode: 'duration', minutes: 60 * 24 },
};
let customerIndex = 0;

beforeAll(async () => {
  await seedDemoPurposes();
});

async function sql<T>(text: string, ...params: unknown[]): Promise<T[]> {
  return (await sqlAll(database.handle().db, text, [...params])) as T[];
}

async function newCustomer(name: string): Promise<number> {
  const { firstId } = await writeTransaction(
    async (db) => await insertFixtureCustomers(db, 1, { startIndex: customerIndex++ }),
  );
  await sqlRun(database.handle().db, 'UPDATE customers SET name = ? WHERE id = ?', [name, firstId]);
  return firstId;
}

/** A real dead letter: the enrollment's step is missing from its version, so every attempt throws. */
async function deadLetteredEnrollment(journeyId: number, customerId: number): Promise<number> {
  const enrolled = await enrollCustomer(journeyId, customerId);
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  await sqlRun(database.handle().db, `UPDATE enrollments SET node_id = 'missing' WHERE id = ?`, [
    enrolled.value.enrollmentId,
  ]);
  let now = Date.now();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    await runExecutorBatch({ workerId: 'test', now: () => now });
    now = (await findEnrollmentIn(database.handle().db, enrolled.value.enrollmentId))!.runAt;
  }
  return enrolled.value.enrollmentId;
}

describe('dead letters', () => {
  it('lists failed enrollments with customer, step, attempts and error, and counts them per journey', async () => {
    const { journeyId } = await writeTransaction(
      async (db) => await publishFixtureJourney(db, 'dead letters', graphAround(waitLong, ['next'])),
    );
    const other = await writeTransaction(
      async (db) => await publishFixtureJourney(db, 'healthy', graphAround(waitLong, ['next'])),
    );
    const customer = await newCustomer('Fiona Failed');
    const enrollmentId = await deadLetteredEnrollment(journeyId, customer);

    const [letter, ...rest] = await listDeadLetters(journeyId);
    expect(rest).toEqual([]);
    expect(letter).toMatchObject({
      enrollmentId,
      customerId: customer,
      customerName: 'Fiona Failed',
      nodeId: 'missing',
      attempts: MAX_ATTEMPTS,
    });
    expect(letter.lastError).toContain('step missing is not in version');
    expect(Number.isNaN(Date.parse(letter.failedAt))).toBe(false);
    expect(await listDeadLetters(other.journeyId)).toEqual([]);

    const counts = await failedCountsByJourney([journeyId, other.journeyId]);
    expect([...counts]).toEqual([[journeyId, 1]]);
    expect(await runningCustomerCount(journeyId)).toBe(1);
    expect(await runningCustomerCount(other.journeyId)).toBe(0);
  });

  it('shows an erased customer by id only', async () => {
    const { journeyId } = await writeTransaction(
      async (db) => await publishFixtureJourney(db, 'erased', graphAround(waitLong, ['next'])),
    );
    const customer = await newCustomer('Eero Erased');
    await deadLetteredEnrollment(journeyId, customer);
    await sqlRun(database.handle().db, `UPDATE customers SET status = 'erased' WHERE id = ?`, [customer]);
    expect((await listDeadLetters(journeyId))[0]).toMatchObject({ customerId: customer, customerName: null });
  });

  it('retries only a failed enrollment of the same journey, audits it, and the executor runs it again', async () => {
    const { journeyId } = await writeTransaction(
      async (db) => await publishFixtureJourney(db, 'retry', graphAround(waitLong, ['next'])),
    );
    const other = await writeTransaction(
      async (db) => await publishFixtureJourney(db, 'elsewhere', graphAround(waitLong, ['next'])),
    );
    const enrollmentId = await deadLetteredEnrollment(journeyId, await newCustomer('Rami Retry'));
    const actor = { id: 42 };

    // Another journey's URL cannot reach it, nor can an id that does not exist.
    expect(await retryDeadLetter(actor, other.journeyId, enrollmentId)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await retryDeadLetter(actor, journeyId, 999_999)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect((await findEnrollmentIn(database.handle().db, enrollmentId))?.state).toBe('failed');

    // The step exists again (as if the cause were fixed): retry puts it back in the queue.
    await sqlRun(database.handle().db, `UPDATE enrollments SET node_id = 'pause' WHERE id = ?`, [
      enrollmentId,
    ]);
    expect(await retryDeadLetter(actor, journeyId, enrollmentId)).toEqual({ ok: true, value: undefined });
    expect(await findEnrollmentIn(database.handle().db, enrollmentId)).toMatchObject({
      state: 'active',
      attempts: 0,
      lastError: null,
    });
    expect(await listDeadLetters(journeyId)).toEqual([]);
    expect((await failedCountsByJourney([journeyId])).size).toBe(0);

    const audit = await sql<{ actor_id: string; target_id: string; details: string }>(
      `SELECT actor_id, target_id, details FROM audit_log WHERE action = 'journey.enrollment.retry'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: '42', target_id: String(journeyId) });
    expect(JSON.parse(audit[0].details)).toEqual({ enrollmentId, nodeId: 'pause', attempts: MAX_ATTEMPTS });

    // Pressing Retry twice: the second press finds nothing to retry.
    const again = await retryDeadLetter(actor, journeyId, enrollmentId);
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid_state' } });

    await runUntilIdle(Date.now());
    expect(await findEnrollmentIn(database.handle().db, enrollmentId)).toMatchObject({
      state: 'waiting',
      nodeId: 'pause',
    });
  });
});
