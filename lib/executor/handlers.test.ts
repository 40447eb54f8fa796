import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction, sqlGet, sqlRun, sqlAll } from '@/db/client';
import { findEnrollmentIn } from '@/db/store/enrollment-records';
import type { JourneyGraph } from '@/lib/journey';
import { setContactBlock } from '@/lib/privacy/blocks';
import { useTempDatabase } from '@/tests/helpers/db';
import { enrollCustomer } from './lifecycle';
import {
  graphAround,
  insertFixtureCustomers,
  publishFixtureJourney,
  runUntilIdle,
  recordTestConsent,
  seedDemoPurposes,
} from '@/tests/fixtures/executor';

const database = useTempDatabase();
const HOUR = 60 * 60 * 1000;
let customerIndex = 0;

beforeAll(async () => {
  await seedDemoPurposes();
});

type Node = JourneyGraph['nodes'][number];

async function journeyWith(step: Node, handles: string[]) {
  return (
    await writeTransaction(
      async (db) => await publishFixtureJourney(db, `test ${step.type}`, graphAround(step, handles)),
    )
  ).journeyId;
}

async function newCustomer(
  options: { timeZone?: string; attributes?: Record<string, unknown> } = {},
): Promise<number> {
  const id = (
    await writeTransaction(
      async (db) =>
        await insertFixtureCustomers(db, 1, { startIndex: customerIndex++, timeZone: options.timeZone }),
    )
  ).firstId;
  if (options.attributes) {
    await sqlRun(database.handle().db, 'UPDATE customers SET attributes = ? WHERE id = ?', [
      JSON.stringify(options.attributes),
      id,
    ]);
  }
  return id;
}

async function consent(customerId: number, purposeKey: string, action: 'grant' | 'withdraw' = 'grant') {
  await recordTestConsent(customerId, purposeKey, action);
}

async function enroll(journeyId: number, customerId: number): Promise<number> {
  const result = await enrollCustomer(journeyId, customerId);
  if (!result.ok) throw new Error(result.error.message);
  return result.value.enrollmentId;
}

async function history(
  enrollmentId: number,
): Promise<{ nodeId: string; outcome: string; reason: string; seq: number }[]> {
  return (await sqlAll(
    database.handle().db,
    'SELECT node_id AS "nodeId", outcome, reason, seq FROM step_events WHERE enrollment_id = ? ORDER BY seq',
    [enrollmentId],
  )) as { nodeId: string; outcome: string; reason: string; seq: number }[];
}

async function enrollment(id: number) {
  const row = await findEnrollmentIn(database.handle().db, id);
  if (!row) throw new Error('no enrollment');
  return row;
}

async function outboxOf(customerId: number) {
  return (await sqlAll(
    database.handle().db,
    'SELECT category, status, subject, payload, idempotency_key FROM outbox WHERE customer_id = ? AND kind = ?',
    [customerId, 'email'],
  )) as {
    category: string;
    status: string;
    subject: string | null;
    payload: string;
    idempotency_key: string;
  }[];
}

/** Runs the journey for one customer and returns the handle taken out of the step under test. */
async function runOne(step: Node, handles: string[], customerId: number, at?: number) {
  const journeyId = await journeyWith(step, handles);
  const enrollmentId = await enroll(journeyId, customerId);
  await runUntilIdle(at ?? Date.now());
  const events = await history(enrollmentId);
  return { enrollmentId, journeyId, events, taken: events.find((event) => event.nodeId === step.id) };
}

describe('consent-gate', () => {
  const gate = (timeoutHours: number): Node => ({
    id: 'gate',
    type: 'consent-gate',
    position: { x: 0, y: 0 },
    config: { purpose: 'newsletter', timeoutHours },
  });

  it('lets a customer with consent through, naming when they confirmed', async () => {
    const customer = await newCustomer();
    await consent(customer, 'newsletter');
    const { taken, enrollmentId } = await runOne(gate(0), ['granted', 'not-granted'], customer);
    expect(taken?.outcome).toBe('granted');
    expect(taken?.reason).toMatch(/^continued: the customer confirmed Newsletter on \d+ \w+ \d{4}$/);
    expect((await enrollment(enrollmentId)).state).toBe('completed');
  });

  it('refuses without consent when it may not wait', async () => {
    const { taken } = await runOne(gate(0), ['granted', 'not-granted'], await newCustomer());
    expect(taken?.outcome).toBe('not-granted');
    expect(taken?.reason).toContain('no consent for Newsletter');
  });

  it('waits for consent and wakes at once when it is granted', async () => {
    const customer = await newCustomer();
    const { enrollmentId } = await runOne(gate(48), ['granted', 'timed-out'], customer);
    const waiting = await enrollment(enrollmentId);
    const now = waiting.enteredAt;
    expect(waiting.state).toBe('waiting');
    expect(waiting.waitKey).toBe('consent:newsletter');
    expect(waiting.runAt).toBeGreaterThanOrEqual(now + 48 * HOUR - 1000);

    await consent(customer, 'newsletter');
    expect((await enrollment(enrollmentId)).runAt).toBeLessThanOrEqual(Date.now());
    await runUntilIdle(Date.now());
    expect((await history(enrollmentId)).map((event) => event.outcome)).toEqual([
      'next',
      'wait',
      'granted',
      'completed',
    ]);
  });

  it('times out when consent never comes', async () => {
    const { enrollmentId } = await runOne(gate(2), ['granted', 'timed-out'], await newCustomer());
    const now = (await enrollment(enrollmentId)).enteredAt;
    await runUntilIdle(now + HOUR);
    expect((await enrollment(enrollmentId)).state).toBe('waiting');
    await runUntilIdle(now + 3 * HOUR);
    const gateEvents = (await history(enrollmentId)).filter((event) => event.nodeId === 'gate');
    expect(gateEvents.at(-1)?.outcome).toBe('timed-out');
    expect((await enrollment(enrollmentId)).nodeId).toBe('exit-timed-out');
  });
});

describe('send-message', () => {
  const send = (extra: Partial<Extract<Node, { type: 'send-message' }>['config']> = {}): Node => ({
    id: 'send',
    type: 'send-message',
    position: { x: 0, y: 0 },
    config: {
      purpose: 'newsletter',
      channel: 'email',
      subject: 'Hello {{firstName}}',
      body: 'News for {{firstName}}',
      ...extra,
    },
  });

  it('queues one marketing mail with the basis as the reason', async () => {
    const customer = await newCustomer();
    await consent(customer, 'newsletter');
    const { taken } = await runOne(send(), ['sent', 'skipped'], customer);
    expect(taken?.outcome).toBe('sent');
    expect(taken?.reason).toMatch(/^sent because the customer confirmed Newsletter on \d+ \w+ \d{4}$/);
    const mail = await outboxOf(customer);
    expect(mail).toHaveLength(1);
    // The dispatcher renders it when sending (lib/outbox/journey-mail): the row names the step only.
    expect(mail[0]).toMatchObject({ category: 'marketing', status: 'queued', subject: null });
    expect(JSON.parse(mail[0].payload)).toMatchObject({ nodeId: 'send', versionId: expect.any(Number) });
  });

  it('skips without consent and says for which purpose', async () => {
    const customer = await newCustomer();
    const { taken, enrollmentId } = await runOne(
      send({ purpose: 'personalised-offers' }),
      ['sent'],
      customer,
    );
    expect(taken?.outcome).toBe('skipped');
    expect(taken?.reason).toContain('skipped: no consent for Personalised offers');
    expect(await outboxOf(customer)).toHaveLength(0);
    // "skipped" is not connected here: the journey ends and says why.
    expect((await enrollment(enrollmentId)).state).toBe('completed');
    expect(taken?.reason).toContain('nothing follows "skipped"');
  });

  it('skips when the frequency cap for the customer is reached', async () => {
    const customer = await newCustomer();
    await consent(customer, 'newsletter');
    const capped = send({ frequencyCap: { max: 1, perDays: 7 } });
    expect((await runOne(capped, ['sent', 'skipped'], customer)).taken?.outcome).toBe('sent');
    const second = await runOne(capped, ['sent', 'skipped'], customer);
    expect(second.taken?.outcome).toBe('skipped');
    expect(second.taken?.reason).toContain('limit 1');
    expect(await outboxOf(customer)).toHaveLength(1);
  });

  it('counts mail queued earlier in the same batch toward the frequency cap', async () => {
    const customer = await newCustomer();
    await consent(customer, 'newsletter');
    const capped = send({ frequencyCap: { max: 1, perDays: 7 } });
    // Two journeys, one batch: the second send must see the first one's (buffered) mail.
    const first = await enroll(await journeyWith(capped, ['sent', 'skipped']), customer);
    const second = await enroll(await journeyWith(capped, ['sent', 'skipped']), customer);
    await runUntilIdle(Date.now());
    const outcomes = [
      (await history(first)).find((event) => event.nodeId === capped.id)?.outcome,
      (await history(second)).find((event) => event.nodeId === capped.id)?.outcome,
    ];
    expect(outcomes.sort()).toEqual(['sent', 'skipped']);
    expect(await outboxOf(customer)).toHaveLength(1);
  });

  it('holds the mail through quiet hours in the customer time zone, then sends', async () => {
    const customer = await newCustomer({ timeZone: 'Europe/Helsinki' });
    await consent(customer, 'newsletter');
    // 20:30 UTC is 22:30 or 23:30 in Helsinki: inside 21:00–08:00.
    const evening = Date.UTC(2030, 0, 15, 20, 30);
    const { enrollmentId, taken } = await runOne(
      send({ quietHours: { start: '21:00', end: '08:00' } }),
      ['sent', 'skipped'],
      customer,
      evening,
    );
    expect(taken?.outcome).toBe('wait');
    expect(taken?.reason).toContain('quiet hours');
    const held = await enrollment(enrollmentId);
    expect(held.state).toBe('waiting');
    expect(new Date(held.runAt).toISOString()).toBe('2030-01-16T06:00:00.000Z'); // 08:00 EET
    expect(await outboxOf(customer)).toHaveLength(0);
    await runUntilIdle(held.runAt);
    expect(
      (await history(enrollmentId)).filter((event) => event.nodeId === 'send').map((event) => event.outcome),
    ).toEqual(['wait', 'sent']);
    expect(await outboxOf(customer)).toHaveLength(1);
  });
});

describe('wait', () => {
  it('waits a duration counted from arrival', async () => {
    const { enrollmentId } = await runOne(
      { id: 'pause', type: 'wait', position: { x: 0, y: 0 }, config: { mode: 'duration', minutes: 90 } },
      ['next'],
      await newCustomer(),
    );
    const now = (await enrollment(enrollmentId)).context.arrivedAt as number;
    expect((await enrollment(enrollmentId)).runAt).toBe(now + 90 * 60_000);
    await runUntilIdle(now + 89 * 60_000);
    expect((await enrollment(enrollmentId)).state).toBe('waiting');
    await runUntilIdle(now + 90 * 60_000);
    expect((await enrollment(enrollmentId)).state).toBe('completed');
  });

  it('waits until a local time of day in the customer time zone', async () => {
    const customer = await newCustomer({ timeZone: 'America/New_York' });
    const noonUtc = Date.UTC(2030, 6, 1, 12, 0); // 08:00 in New York (EDT)
    const { enrollmentId } = await runOne(
      {
        id: 'pause',
        type: 'wait',
        position: { x: 0, y: 0 },
        config: { mode: 'until-local-time', time: '09:30' },
      },
      ['next'],
      customer,
      noonUtc,
    );
    expect(new Date((await enrollment(enrollmentId)).runAt).toISOString()).toBe('2030-07-01T13:30:00.000Z');
  });
});

describe('condition', () => {
  const rule: Node = {
    id: 'cond',
    type: 'condition',
    position: { x: 0, y: 0 },
    config: {
      rule: { match: 'all', conditions: [{ kind: 'attribute', key: 'tier', op: 'eq', value: 'gold' }] },
    },
  };

  it('takes yes when the rule holds and no otherwise', async () => {
    const gold = await runOne(rule, ['yes', 'no'], await newCustomer({ attributes: { tier: 'gold' } }));
    expect(gold.taken?.outcome).toBe('yes');
    expect(gold.taken?.reason).toBe('condition met: tier is "gold"');
    const silver = await runOne(rule, ['yes', 'no'], await newCustomer({ attributes: { tier: 'silver' } }));
    expect(silver.taken?.outcome).toBe('no');
  });

  it('reads consent states and recent events', async () => {
    const customer = await newCustomer();
    await consent(customer, 'newsletter');
    const both: Node = {
      id: 'cond',
      type: 'condition',
      position: { x: 0, y: 0 },
      config: {
        rule: {
          match: 'all',
          conditions: [
            { kind: 'consent', purpose: 'newsletter', state: 'granted' },
            { kind: 'event', name: 'test-start', withinDays: 1 },
          ],
        },
      },
    };
    const journeyId = await journeyWith(both, ['yes', 'no']);
    await sqlRun(
      database.handle().db,
      'INSERT INTO events (customer_id, name, properties, occurred_at, created_at) VALUES (?, ?, ?, ?, ?)',
      [customer, 'test-start', '{}', Date.now(), Date.now()],
    );
    const enrollmentId = await enroll(journeyId, customer);
    await runUntilIdle(Date.now());
    expect((await history(enrollmentId)).find((event) => event.nodeId === 'cond')?.outcome).toBe('yes');
  });
});

describe('advertising-block and set-advertising-block', () => {
  const check: Node = {
    id: 'check',
    type: 'advertising-block',
    position: { x: 0, y: 0 },
    config: { scope: 'channel', channel: 'email' },
  };

  it('is clear without a block and blocked after the set step set one', async () => {
    const customer = await newCustomer();
    expect((await runOne(check, ['blocked', 'clear'], customer)).taken?.outcome).toBe('clear');
    const set: Node = {
      id: 'set',
      type: 'set-advertising-block',
      position: { x: 0, y: 0 },
      config: { scope: 'all', reason: 'complaint', evidence: 'called the shop' },
    };
    const setRun = await runOne(set, ['next'], customer);
    expect(setRun.taken?.reason).toBe('blocked all contact (complaint)');
    const blocked = await runOne(check, ['blocked', 'clear'], customer);
    expect(blocked.taken?.outcome).toBe('blocked');
    expect(blocked.taken?.reason).toContain('complaint');
  });

  it('a channel block on sms does not block the email check', async () => {
    const customer = await newCustomer();
    await writeTransaction(
      async (db) =>
        await setContactBlock(db, {
          customerId: customer,
          scope: 'channel',
          channel: 'sms',
          reason: 'customer-request',
          evidence: 'asked',
          setBy: 'user:1',
        }),
    );
    expect((await runOne(check, ['blocked', 'clear'], customer)).taken?.outcome).toBe('clear');
  });
});

describe('double-opt-in', () => {
  const doi: Node = {
    id: 'doi',
    type: 'double-opt-in',
    position: { x: 0, y: 0 },
    config: { purpose: 'newsletter', themes: [], expiresHours: 24 },
  };

  it('sends the confirmation mail, waits, and continues when the customer confirms', async () => {
    const customer = await newCustomer();
    const { enrollmentId } = await runOne(doi, ['confirmed', 'expired'], customer);
    expect(await enrollment(enrollmentId)).toMatchObject({ state: 'waiting', waitKey: 'consent:newsletter' });
    expect((await outboxOf(customer)).map((mail) => mail.category)).toEqual(['optin']);
    await consent(customer, 'newsletter');
    await runUntilIdle(Date.now());
    const taken = (await history(enrollmentId)).filter((event) => event.nodeId === 'doi').at(-1);
    expect(taken?.outcome).toBe('confirmed');
    expect((await enrollment(enrollmentId)).nodeId).toBe('exit-confirmed');
  });

  it('expires when the link is not clicked in time', async () => {
    const { enrollmentId } = await runOne(doi, ['confirmed', 'expired'], await newCustomer());
    const now = (await enrollment(enrollmentId)).enteredAt;
    await runUntilIdle(now + 25 * HOUR);
    expect((await history(enrollmentId)).filter((event) => event.nodeId === 'doi').at(-1)?.outcome).toBe(
      'expired',
    );
  });

  it('continues at once when consent was already given', async () => {
    const customer = await newCustomer();
    await consent(customer, 'newsletter');
    expect((await runOne(doi, ['confirmed', 'expired'], customer)).taken?.outcome).toBe('confirmed');
    expect(await outboxOf(customer)).toHaveLength(0);
  });
});

describe('reference and transfer', () => {
  it('compiles the package and mails the customer a download link', async () => {
    const customer = await newCustomer();
    const graph: JourneyGraph = {
      nodes: [
        {
          id: 'entry',
          type: 'entry',
          position: { x: 0, y: 0 },
          config: { mode: 'event', eventName: 'x', reentry: { policy: 'always' }, goals: [] },
        },
        { id: 'ref', type: 'reference', position: { x: 0, y: 0 }, config: { formats: ['json', 'csv'] } },
        { id: 'give', type: 'transfer', position: { x: 0, y: 0 }, config: { to: 'customer' } },
        { id: 'done', type: 'exit', position: { x: 0, y: 0 }, config: {} },
      ],
      edges: [
        { id: 'a', source: 'entry', sourceHandle: 'next', target: 'ref' },
        { id: 'b', source: 'ref', sourceHandle: 'next', target: 'give' },
        { id: 'c', source: 'give', sourceHandle: 'delivered', target: 'done' },
      ],
    };
    const { journeyId } = await writeTransaction(
      async (db) => await publishFixtureJourney(db, 'data', graph),
    );
    const enrollmentId = await enroll(journeyId, customer);
    await runUntilIdle(Date.now());
    const events = await history(enrollmentId);
    expect(events.find((event) => event.nodeId === 'ref')?.reason).toMatch(/^compiled your data package/);
    expect(events.find((event) => event.nodeId === 'give')?.outcome).toBe('delivered');
    expect((await outboxOf(customer)).map((mail) => mail.category)).toEqual(['privacy']);
    const exportsCount = (await sqlGet(
      database.handle().db,
      'SELECT count(*) AS n FROM exports WHERE customer_id = ?',
      [customer],
    )) as { n: number };
    expect(exportsCount.n).toBe(1);
  });

  it('refuses a transfer to a recipient without consent for it', async () => {
    const { taken } = await runOne(
      {
        id: 'give',
        type: 'transfer',
        position: { x: 0, y: 0 },
        config: { to: 'recipient', recipient: 'avocado-coop', purpose: 'partner-transfer' },
      },
      ['delivered', 'refused'],
      await newCustomer(),
    );
    expect(taken?.outcome).toBe('refused');
    expect(taken?.reason).toContain('Organic Avocado Co-op');
  });
});

describe('forget', () => {
  it('erases the customer, ends this journey, stops the others and cancels queued mail', async () => {
    const customer = await newCustomer();
    await consent(customer, 'newsletter');
    // Another journey parked on a long wait, with mail already queued.
    const sendThenWait: JourneyGraph = {
      nodes: [
        {
          id: 'entry',
          type: 'entry',
          position: { x: 0, y: 0 },
          config: { mode: 'event', eventName: 'x', reentry: { policy: 'always' }, goals: [] },
        },
        {
          id: 'send',
          type: 'send-message',
          position: { x: 0, y: 0 },
          config: { purpose: 'newsletter', channel: 'email', subject: 'Hi', body: 'Hi' },
        },
        { id: 'pause', type: 'wait', position: { x: 0, y: 0 }, config: { mode: 'duration', minutes: 600 } },
        {
          id: 'again',
          type: 'send-message',
          position: { x: 0, y: 0 },
          config: { purpose: 'newsletter', channel: 'email', subject: 'Again', body: 'Hi' },
        },
      ],
      edges: [
        { id: 'a', source: 'entry', sourceHandle: 'next', target: 'send' },
        { id: 'b', source: 'send', sourceHandle: 'sent', target: 'pause' },
        { id: 'c', source: 'pause', sourceHandle: 'next', target: 'again' },
      ],
    };
    const other = await writeTransaction(
      async (db) => await publishFixtureJourney(db, 'other', sendThenWait),
    );
    const otherEnrollment = await enroll(other.journeyId, customer);
    await runUntilIdle(Date.now());
    expect((await enrollment(otherEnrollment)).state).toBe('waiting');
    expect((await outboxOf(customer)).map((mail) => mail.status)).toEqual(['queued']);

    const { taken, enrollmentId } = await runOne(
      { id: 'forget', type: 'forget', position: { x: 0, y: 0 }, config: { notifyConnectedSystems: true } },
      [],
      customer,
    );
    expect(taken?.reason).toMatch(/^erased on request/);
    expect((await enrollment(enrollmentId)).state).toBe('completed');
    const row = (await sqlGet(database.handle().db, 'SELECT status, email FROM customers WHERE id = ?', [
      customer,
    ])) as { status: string; email: string | null };
    expect(row).toEqual({ status: 'erased', email: null });
    expect((await enrollment(otherEnrollment)).state).toBe('cancelled');
    expect((await outboxOf(customer)).map((mail) => mail.status)).toEqual(['cancelled']);
    // Nothing more runs for that customer, even when the wait would have ended.
    const before = (await history(otherEnrollment)).length;
    await runUntilIdle(Date.now() + 700 * 60_000);
    expect(await history(otherEnrollment)).toHaveLength(before);
    expect((await outboxOf(customer)).filter((mail) => mail.status !== 'cancelled')).toHaveLength(0);
  });
});

describe('exit', () => {
  it('completes the journey with the configured reason', async () => {
    const { events, enrollmentId } = await runOne(
      { id: 'end', type: 'exit', position: { x: 0, y: 0 }, config: { reason: 'all done' } },
      [],
      await newCustomer(),
    );
    expect(events.at(-1)).toMatchObject({
      nodeId: 'end',
      outcome: 'completed',
      reason: 'journey ended: all done',
    });
    expect((await enrollment(enrollmentId)).state).toBe('completed');
  });
});
