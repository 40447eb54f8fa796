import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { enrollCustomer } from '@/lib/executor/lifecycle';
import { dispatchDueOutbox } from '@/lib/outbox/dispatcher';
import {
  deliverySettingsFormSchema,
  saveDeliverySettings,
  type DeliverySettingsInput,
} from '@/lib/delivery/settings';
import { nextAllowedMinute } from '@/lib/delivery/policy';
import type { JourneyGraph } from '@/lib/journey';
import { useTempDatabase } from '@/tests/helpers/db';
import {
  graphAround,
  insertFixtureCustomers,
  publishFixtureJourney,
  recordTestConsent,
  runUntilIdle,
  seedDemoPurposes,
} from '@/tests/fixtures/executor';

const database = useTempDatabase();
const admin = { id: 1, email: 'admin@tarmo.test', name: 'Admin', role: 'admin' as const };
const DAY = 24 * 60 * 60 * 1000;
let customerIndex = 0;
let journeyIndex = 0;

beforeAll(async () => {
  await seedDemoPurposes();
});

/** A fixed instant two days ahead, at 12:00 UTC (outside any quiet hours used here). */
function noonAhead(days = 2): number {
  const date = new Date(Date.now() + days * DAY);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 12, 0);
}

async function policy(
  email: Partial<DeliverySettingsInput['email']>,
  rateLimits: DeliverySettingsInput['rateLimits'] = [],
) {
  const saved = await saveDeliverySettings(
    {
      email: { cap: null, quietHours: null, exemptTransactional: true, softBounceLimit: 3, ...email },
      rateLimits,
    },
    admin,
  );
  if (!saved.ok) throw new Error(saved.error.message);
}

async function customer(purpose = 'newsletter'): Promise<number> {
  const id = (
    await writeTransaction(
      async (db) =>
        await insertFixtureCustomers(db, 1, {
          startIndex: customerIndex++,
          emailDomain: 'policy.test',
          timeZone: 'UTC',
        }),
    )
  ).firstId;
  await recordTestConsent(id, purpose);
  return id;
}

async function sendJourney(extra: Record<string, unknown> = {}, purpose = 'newsletter') {
  return await writeTransaction(
    async (db) =>
      await publishFixtureJourney(
        db,
        `policy ${journeyIndex++}`,
        graphAround(
          {
            id: 'send',
            type: 'send-message',
            position: { x: 0, y: 0 },
            config: { purpose, channel: 'email', subject: 'Hello', body: 'Body', ...extra },
          },
          ['sent', 'skipped'],
        ),
      ),
  );
}

/** Enrolls the customer, runs the journey at `now` and returns its mail. */
async function journeyMail(journeyId: number, customerId: number, now: number) {
  const enrolled = await enrollCustomer(journeyId, customerId);
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  await runUntilIdle(now);
  const row = await database.get<{ id: number }>(
    'SELECT id FROM outbox WHERE enrollment_id = ?',
    enrolled.value.enrollmentId,
  );
  return { outboxId: Number(row!.id), enrollmentId: enrolled.value.enrollmentId };
}

async function outboxRow(id: number) {
  const row = await database.get<{
    status: string;
    next_attempt_at: number;
    cancel_reason: string | null;
    last_error: string | null;
  }>('SELECT status, next_attempt_at, cancel_reason, last_error FROM outbox WHERE id = ?', id);
  return { ...row!, next_attempt_at: Number(row!.next_attempt_at) };
}

async function lastStepEvent(enrollmentId: number) {
  return await database.get<{ outcome: string; reason: string }>(
    'SELECT outcome, reason FROM step_events WHERE enrollment_id = ? ORDER BY seq DESC LIMIT 1',
    enrollmentId,
  );
}

async function nodeCount(journeyId: number, handle: string): Promise<number> {
  const row = await database.get<{ count: number }>(
    "SELECT count FROM journey_node_stats WHERE journey_id = ? AND node_id = 'send' AND handle = ?",
    journeyId,
    handle,
  );
  return Number(row?.count ?? 0);
}

describe('workspace delivery policy at send time', () => {
  it('holds the second journey’s mail over the workspace cap, then sends it after the window', async () => {
    await policy({ cap: { max: 1, perDays: 1 } });
    const person = await customer();
    const first = await sendJourney();
    const second = await sendJourney({ whenCapped: { action: 'hold', withinHours: 48 } });
    const t0 = noonAhead();
    const a = await journeyMail(first.journeyId, person, t0);
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => t0 })).toMatchObject({ sent: 1 });

    const b = await journeyMail(second.journeyId, person, t0 + 60_000);
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => t0 + 60_000 })).toMatchObject({
      deferred: 1,
      sent: 0,
    });
    const held = await outboxRow(b.outboxId);
    expect(held.status).toBe('queued');
    expect(held.next_attempt_at).toBe(t0 + DAY + 1);
    const event = await lastStepEvent(b.enrollmentId);
    expect(event).toEqual({
      outcome: 'held-send',
      reason:
        'held: the workspace limit of 1 marketing mails in 1 day is reached (1 sent); retrying when the oldest leaves the window',
    });
    expect(await nodeCount(second.journeyId, 'held-at-send')).toBe(1);

    // Still inside the window: nothing is due.
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => t0 + DAY - 1 })).toMatchObject({
      sent: 0,
      deferred: 0,
    });
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => t0 + DAY + 1 })).toMatchObject({ sent: 1 });
    expect((await outboxRow(b.outboxId)).status).toBe('sent');
    expect((await outboxRow(a.outboxId)).status).toBe('sent');
  });

  it('lets the mail queued first go when two of one journey are claimed together, and skips the later one', async () => {
    await policy({ cap: { max: 1, perDays: 7 } });
    const person = await customer();
    const send = (id: string, subject: string, extra: Record<string, unknown> = {}) => ({
      id,
      type: 'send-message' as const,
      position: { x: 0, y: 0 },
      config: { purpose: 'newsletter', channel: 'email' as const, subject, body: 'Body', ...extra },
    });
    const { journeyId } = await writeTransaction(
      async (db) =>
        await publishFixtureJourney(db, `policy ${journeyIndex++}`, {
          nodes: [
            {
              id: 'entry',
              type: 'entry',
              position: { x: 0, y: 0 },
              config: { mode: 'event', eventName: 'test-start', reentry: { policy: 'always' }, goals: [] },
            },
            send('first', 'First'),
            send('second', 'Second', { whenCapped: { action: 'skip' } }),
            { id: 'exit', type: 'exit', position: { x: 0, y: 0 }, config: {} },
          ],
          edges: [
            { id: 'a', source: 'entry', sourceHandle: 'next', target: 'first' },
            { id: 'b', source: 'first', sourceHandle: 'sent', target: 'second' },
            { id: 'c', source: 'first', sourceHandle: 'skipped', target: 'exit' },
            { id: 'd', source: 'second', sourceHandle: 'sent', target: 'exit' },
            { id: 'e', source: 'second', sourceHandle: 'skipped', target: 'exit' },
          ],
        } as JourneyGraph),
    );
    const t0 = noonAhead(8);
    const enrolled = await enrollCustomer(journeyId, person);
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    await runUntilIdle(t0);
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => t0 })).toMatchObject({
      sent: 1,
      cancelled: 1,
    });
    const rows = await database.all<{ payload: string | { nodeId: string }; status: string }>(
      'SELECT payload, status FROM outbox WHERE enrollment_id = ? ORDER BY id',
      enrolled.value.enrollmentId,
    );
    // The payload names the step (JSON text on SQLite, an object on PostgreSQL).
    const nodeOf = (payload: string | { nodeId: string }) =>
      (typeof payload === 'string' ? (JSON.parse(payload) as { nodeId: string }) : payload).nodeId;
    expect(rows.map((row) => `${nodeOf(row.payload)} ${row.status}`)).toEqual([
      'first sent',
      'second cancelled',
    ]);
  });

  it('skips the mail when the step says so, with the reason on the path and in the step counts', async () => {
    await policy({ cap: { max: 1, perDays: 7 } });
    const person = await customer();
    const first = await sendJourney();
    const second = await sendJourney({ whenCapped: { action: 'skip' } });
    const t0 = noonAhead(3);
    await journeyMail(first.journeyId, person, t0);
    await dispatchDueOutbox({ workerId: 'w', now: () => t0 });
    const b = await journeyMail(second.journeyId, person, t0 + 1000);
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => t0 + 1000 })).toMatchObject({ cancelled: 1 });
    const row = await outboxRow(b.outboxId);
    expect(row.status).toBe('cancelled');
    expect(row.cancel_reason).toBe(
      'skipped: the workspace limit of 1 marketing mails in 7 days is reached (1 sent)',
    );
    expect(await lastStepEvent(b.enrollmentId)).toEqual({
      outcome: 'skipped-send',
      reason: row.cancel_reason,
    });
    expect(await nodeCount(second.journeyId, 'skipped-at-send')).toBe(1);
  });

  it('holds mail in the workspace quiet hours until the next allowed minute in the customer’s time zone', async () => {
    await policy({ quietHours: { start: '22:00', end: '07:00' } });
    const person = await customer();
    await database.run("UPDATE customers SET time_zone = 'Europe/Helsinki' WHERE id = ?", person);
    const journey = await sendJourney();
    const noon = noonAhead(4);
    // 21:30 UTC is 23:30 in Helsinki in winter, 00:30 in summer: quiet either way.
    const late = noon + 9.5 * 60 * 60 * 1000;
    const mail = await journeyMail(journey.journeyId, person, late);
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => late })).toMatchObject({ deferred: 1 });
    const held = await outboxRow(mail.outboxId);
    const expected = nextAllowedMinute(late, [{ start: '22:00', end: '07:00' }], 'Europe/Helsinki')!;
    expect(held.next_attempt_at).toBe(expected);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Helsinki',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(expected);
    expect(local).toBe('07:00');
    expect((await lastStepEvent(mail.enrollmentId))?.reason).toBe(
      'held for quiet hours (workspace 22:00–07:00, Europe/Helsinki); sending at 07:00',
    );
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => expected - 60_000 })).toMatchObject({
      sent: 0,
    });
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => expected })).toMatchObject({ sent: 1 });
  });

  it('lets a step tighten the quiet hours but not loosen them', async () => {
    expect(
      nextAllowedMinute(
        Date.UTC(2030, 0, 10, 21, 0),
        [
          { start: '22:00', end: '07:00' },
          { start: '20:00', end: '06:00' },
        ],
        'UTC',
      ),
    ).toBe(Date.UTC(2030, 0, 11, 7, 0));
    expect(
      nextAllowedMinute(
        Date.UTC(2030, 0, 11, 6, 30),
        [
          { start: '22:00', end: '07:00' },
          { start: '20:00', end: '06:00' },
        ],
        'UTC',
      ),
    ).toBe(Date.UTC(2030, 0, 11, 7, 0));
    expect(
      nextAllowedMinute(Date.UTC(2030, 0, 11, 12, 0), [{ start: '22:00', end: '07:00' }, null], 'UTC'),
    ).toBeUndefined();
  });

  it('applies a send step’s own quiet hours on top of the workspace’s at send time: tighter, never looser', async () => {
    await policy({ quietHours: { start: '22:00', end: '07:00' } });
    const day = noonAhead(6) - 12 * 60 * 60 * 1000; // 00:00 UTC that day
    const at = (hours: number, minutes = 0) => day + (hours * 60 + minutes) * 60 * 1000;

    // A step asking for less quiet time (23:00–06:00) does not shorten the workspace's: at 06:30
    // the step is not quiet, the workspace is, and the mail waits for 07:00.
    const narrow = await sendJourney({ quietHours: { start: '23:00', end: '06:00' } });
    const early = await journeyMail(narrow.journeyId, await customer(), at(6, 30));
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => at(6, 30) })).toMatchObject({ deferred: 1 });
    expect((await outboxRow(early.outboxId)).next_attempt_at).toBe(at(7));
    expect((await lastStepEvent(early.enrollmentId))?.reason).toBe(
      'held for quiet hours (workspace 22:00–07:00, step 23:00–06:00, UTC); sending at 07:00',
    );

    // A step adding quiet time (07:00–09:00) holds a mail the workspace would let go at 07:30, and
    // at 06:30 the two windows hand over: the mail waits for the end of both, 09:00.
    const wide = await sendJourney({ quietHours: { start: '07:00', end: '09:00' } });
    const queuedEarly = await journeyMail(wide.journeyId, await customer(), at(6, 0));
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => at(6, 30) })).toMatchObject({ deferred: 1 });
    expect((await outboxRow(queuedEarly.outboxId)).next_attempt_at).toBe(at(9));
    const queuedLater = await journeyMail(wide.journeyId, await customer(), at(6, 40));
    // At 07:30 the first mail (due 07:00) goes; the one queued at 06:40 is held by the step.
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => at(7, 30) })).toMatchObject({
      deferred: 1,
      sent: 1,
    });
    expect((await outboxRow(queuedLater.outboxId)).next_attempt_at).toBe(at(9));
    expect((await lastStepEvent(queuedLater.enrollmentId))?.reason).toBe(
      'held for quiet hours (workspace 22:00–07:00, step 07:00–09:00, UTC); sending at 09:00',
    );
    expect((await outboxRow(early.outboxId)).status).toBe('sent');
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => at(8, 59) })).toMatchObject({ sent: 0 });
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => at(9) })).toMatchObject({ sent: 2 });
  });

  it('counts mail of every purpose against one cap, and skips a held mail that would wait past its step’s limit', async () => {
    await policy({ cap: { max: 1, perDays: 1 } });
    const person = await customer();
    await recordTestConsent(person, 'personalised-offers');
    const newsletter = await sendJourney();
    const offers = await sendJourney(
      { whenCapped: { action: 'hold', withinHours: 2 } },
      'personalised-offers',
    );
    const t0 = noonAhead(7);
    await journeyMail(newsletter.journeyId, person, t0);
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => t0 })).toMatchObject({ sent: 1 });
    // Another journey, another purpose: the same workspace cap. Room frees only after a day, later
    // than the step's 2 hours of holding, so the mail is skipped at once.
    const offer = await journeyMail(offers.journeyId, person, t0 + 60_000);
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => t0 + 60_000 })).toMatchObject({
      cancelled: 1,
    });
    expect(await outboxRow(offer.outboxId)).toMatchObject({
      status: 'cancelled',
      cancel_reason:
        'skipped: the workspace limit of 1 marketing mails in 1 day is reached (1 sent) and frees no room within 2 hours',
    });
    expect((await lastStepEvent(offer.enrollmentId))?.outcome).toBe('skipped-send');
    expect(await nodeCount(offers.journeyId, 'skipped-at-send')).toBe(1);
  });

  it('exempts transactional purposes from cap and quiet hours when the workspace says so, and says why', async () => {
    await policy({
      cap: { max: 1, perDays: 1 },
      quietHours: { start: '00:00', end: '23:59' },
      exemptTransactional: true,
    });
    const person = await customer('order-updates');
    const journey = await sendJourney({}, 'order-updates');
    const t0 = noonAhead(5);
    const mail = await journeyMail(journey.journeyId, person, t0);
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => t0 })).toMatchObject({ sent: 1 });
    expect((await outboxRow(mail.outboxId)).status).toBe('sent');
    expect(await lastStepEvent(mail.enrollmentId)).toEqual({
      outcome: 'exempt-send',
      reason:
        'sent despite the workspace delivery policy: Order updates is transactional (contract), exempt from caps and quiet hours',
    });

    await policy({ quietHours: { start: '00:00', end: '23:59' }, exemptTransactional: false });
    const other = await journeyMail(
      (await sendJourney({}, 'order-updates')).journeyId,
      await customer('order-updates'),
      t0,
    );
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => t0 })).toMatchObject({ deferred: 1 });
    expect((await outboxRow(other.outboxId)).status).toBe('queued');
  });

  it('saves the settings form as the page sends it: a provider row left without limits means no limit', async () => {
    // The page pre-fills one row with the current provider and empty limits.
    const form = (fields: Record<string, string>) =>
      deliverySettingsFormSchema.parse({
        capMax: '1',
        capDays: '7',
        quietStart: '',
        quietEnd: '',
        exemptTransactional: 'on',
        softBounceLimit: '3',
        provider: '127.0.0.1',
        perSecond: '',
        perHour: '',
        ...fields,
      });
    const saved = await saveDeliverySettings(form({}), admin);
    expect(saved.ok ? saved.value.email.cap : saved.error.message).toEqual({ max: 1, perDays: 7 });
    expect(saved.ok && saved.value.rateLimits).toEqual([]);
    const limited = await saveDeliverySettings(form({ perSecond: '50' }), admin);
    expect(limited.ok && limited.value.rateLimits).toEqual([
      { provider: '127.0.0.1', perSecond: 50, perHour: null },
    ]);
    // A limit without a provider is refused, naming the field.
    const nameless = await saveDeliverySettings(form({ provider: '', perHour: '1000' }), admin);
    expect(nameless.ok ? 'saved' : nameless.error.field).toBe('rateLimits.0.provider');
    await policy({});
  });

  it('refuses settings that make no sense, naming the field', async () => {
    const refused = await saveDeliverySettings(
      {
        email: {
          cap: { max: 0, perDays: 7 },
          quietHours: null,
          exemptTransactional: true,
          softBounceLimit: 3,
        },
        rateLimits: [],
      },
      admin,
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.field).toBe('email.cap.max');
    const marketer = { ...admin, id: 2, role: 'marketer' as const };
    const forbidden = await saveDeliverySettings(
      {
        email: { cap: null, quietHours: null, exemptTransactional: true, softBounceLimit: 3 },
        rateLimits: [],
      },
      marketer,
    );
    expect(forbidden.ok ? 'ok' : forbidden.error.code).toBe('forbidden');
  });
});
