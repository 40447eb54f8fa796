import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import type { JourneyGraph } from '@/lib/journey';
import { enrollCustomer } from '@/lib/executor/lifecycle';
import { useTempDatabase } from '@/tests/helpers/db';
import {
  graphAround,
  insertFixtureCustomers,
  publishFixtureJourney,
  recordTestConsent,
  runUntilIdle,
  seedDemoPurposes,
} from '@/tests/fixtures/executor';
import { checkContactAllowed } from './contact-check';
import { findExportDownload, preferencesGet, preferencesPost, verifyGet, verifyPost } from './customer-pages';
import { gpcSignalled, honourGpcSignal } from './gpc';
import { createLink } from './links';
import { createPrivacyRequest } from './requests';
import { processSignup } from './subscribe';

const db = useTempDatabase();
const client = { ip: '203.0.113.7', userAgent: 'GPC test browser' };
let customerIndex = 0;

beforeAll(async () => {
  // The demo marks "Personalised offers" as sale or sharing / targeted advertising (honoursGpc).
  await seedDemoPurposes();
});

async function newCustomer(): Promise<number> {
  return (
    await writeTransaction(
      async (tx) => await insertFixtureCustomers(tx, 1, { startIndex: 1000 + customerIndex++ }),
    )
  ).firstId;
}

async function stateOf(customerId: number, purposeKey: string): Promise<string> {
  const row = await db.get<{ state: string }>(
    "SELECT s.state FROM consent_state s JOIN purposes p ON p.id = s.purpose_id WHERE s.customer_id = ? AND p.key = ? AND s.theme_key = ''",
    customerId,
    purposeKey,
  );
  return row?.state ?? 'not-asked';
}

async function eventsOf(customerId: number) {
  return await db.all<{ action: string; source: string; key: string; evidence: string }>(
    `SELECT e.action, e.source, p.key, v.details AS evidence FROM consent_events e
     JOIN purposes p ON p.id = e.purpose_id LEFT JOIN consent_evidence v ON v.event_id = e.id
     WHERE e.customer_id = ? ORDER BY e.id`,
    customerId,
  );
}

async function gpcBlocks(customerId: number) {
  return await db.all<{ scope: string; reason: string }>(
    "SELECT scope, reason FROM contact_blocks WHERE customer_id = ? AND reason = 'gpc' AND lifted_at IS NULL",
    customerId,
  );
}

const honour = (customerId: number) =>
  writeTransaction(async (tx) => await honourGpcSignal(tx, { customerId, place: 'preferences', client }));

describe('Global Privacy Control', () => {
  it('reads only the value "1" of Sec-GPC as a signal', () => {
    expect(gpcSignalled(new Headers({ 'Sec-GPC': '1' }))).toBe(true);
    expect(gpcSignalled(new Headers({ 'sec-gpc': ' 1 ' }))).toBe(true);
    expect(gpcSignalled(new Headers({ 'Sec-GPC': '0' }))).toBe(false);
    expect(gpcSignalled(new Headers())).toBe(false);
  });

  it('records an objection for every purpose marked honoursGpc, with the signal as evidence, and nothing for others', async () => {
    const customer = await newCustomer();
    await recordTestConsent(customer, 'newsletter');
    await recordTestConsent(customer, 'personalised-offers');
    const before = (await eventsOf(customer)).length;

    const outcome = await honour(customer);

    expect(outcome.recorded).toBe(1);
    expect(outcome.purposes.map((p) => p.key)).toEqual(['personalised-offers']);
    expect(outcome.blockId).toEqual(expect.any(Number));
    const events = (await eventsOf(customer)).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'object', source: 'gpc', key: 'personalised-offers' });
    expect(JSON.parse(events[0]!.evidence)).toMatchObject({
      method: 'gpc',
      signal: 'Sec-GPC: 1',
      page: 'preferences',
    });
    expect(await stateOf(customer, 'personalised-offers')).toBe('objected');
    expect(await stateOf(customer, 'newsletter')).toBe('granted');
    expect(await gpcBlocks(customer)).toEqual([{ scope: 'sale-sharing', reason: 'gpc' }]);
  });

  it('is idempotent: a repeated signal records nothing and sets no second block', async () => {
    const customer = await newCustomer();
    await honour(customer);
    const events = (await eventsOf(customer)).length;
    const again = await honour(customer);
    expect(again.recorded).toBe(0);
    expect(again.purposes.map((p) => p.key)).toEqual(['personalised-offers']);
    expect((await eventsOf(customer)).length).toBe(events);
    expect(await gpcBlocks(customer)).toHaveLength(1);
  });

  it('leaves a purpose the person already withdrew alone', async () => {
    const customer = await newCustomer();
    await recordTestConsent(customer, 'personalised-offers');
    await recordTestConsent(customer, 'personalised-offers', 'withdraw');
    const events = (await eventsOf(customer)).length;
    expect((await honour(customer)).recorded).toBe(0);
    expect((await eventsOf(customer)).length).toBe(events);
    expect(await stateOf(customer, 'personalised-offers')).toBe('withdrawn');
  });

  it('never grants: a sign-up with the signal starts no opt-in for a marked purpose', async () => {
    const email = `gpc-signup-${Date.now()}@example.org`;
    await processSignup(
      // The marked purpose first: without the signal it would take the one opt-in mail the
      // cooldown allows, and newsletter none.
      { email, purposes: ['personalised-offers', 'newsletter'], noticeVersion: 1 },
      client,
      true,
    );
    const customer = (await db.get<{ id: number }>('SELECT id FROM customers WHERE email = ?', email))!.id;
    expect(await stateOf(customer, 'personalised-offers')).toBe('objected');
    expect(await stateOf(customer, 'newsletter')).toBe('pending');
    const optins = await db.all<{ key: string }>(
      "SELECT p.key FROM tokens t JOIN purposes p ON p.id = t.purpose_id WHERE t.customer_id = ? AND t.kind = 'optin'",
      customer,
    );
    expect(optins.map((t) => t.key)).toEqual(['newsletter']);
    // The objection came first, before the sign-up's own request.
    expect((await eventsOf(customer)).map((e) => `${e.action}:${e.key}`)).toEqual([
      'object:personalised-offers',
      'request:newsletter',
    ]);
  });

  it('a sign-up for a known address with the signal changes nothing recorded for that person (anyone can type the address)', async () => {
    const customer = await newCustomer();
    await recordTestConsent(customer, 'personalised-offers');
    const { email } = (await db.get<{ email: string }>(
      'SELECT email FROM customers WHERE id = ?',
      customer,
    ))!;
    const before = (await eventsOf(customer)).length;
    await processSignup({ email, purposes: ['personalised-offers'], noticeVersion: 1 }, client, true);
    expect(await stateOf(customer, 'personalised-offers')).toBe('granted');
    expect((await eventsOf(customer)).length).toBe(before);
    expect(await gpcBlocks(customer)).toEqual([]);
  });

  it('the preference page honours the signal before anything else, says so, and a tick cannot grant the purpose', async () => {
    const customer = await newCustomer();
    const { raw } = await writeTransaction(
      async (tx) => await createLink(tx, { kind: 'preferences', customerId: customer }),
    );
    const page = await preferencesGet(raw, null, client);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="gpc-notice"');
    expect(page.html).toContain(
      'Your browser sent a Global Privacy Control signal. We have recorded your objection to “Personalised offers”',
    );
    expect(await stateOf(customer, 'personalised-offers')).toBe('objected');

    const saved = await preferencesPost(
      raw,
      new URLSearchParams([
        ['action', 'save'],
        ['purpose', 'personalised-offers'],
        ['purpose', 'newsletter'],
        ['channel', 'email'],
      ]),
      client,
      null,
      client,
    );
    expect(saved.status).toBe(200);
    expect(await stateOf(customer, 'personalised-offers')).toBe('objected');
    expect(await stateOf(customer, 'newsletter')).toBe('granted');

    // Without the signal the page writes nothing and shows no notice.
    const events = (await eventsOf(customer)).length;
    const plain = await preferencesGet(raw, null, null);
    expect(plain.html).not.toContain('gpc-notice');
    expect((await eventsOf(customer)).length).toBe(events);
  });

  it('the privacy-request verification page and the export download honour the signal too', async () => {
    const customer = await newCustomer();
    const { email } = (await db.get<{ email: string }>(
      'SELECT email FROM customers WHERE id = ?',
      customer,
    ))!;
    const { request } = await writeTransaction(
      async (tx) => await createPrivacyRequest(tx, { email, kind: 'access', source: 'api' }),
    );
    const mail = (await db.get<{ body_text: string }>(
      'SELECT body_text FROM outbox WHERE idempotency_key = ?',
      `verify-request:${request.id}`,
    ))!;
    const raw = /\/verify-request\/([A-Za-z0-9_-]{43})/.exec(mail.body_text)![1]!;

    // Without the signal the page writes nothing.
    expect((await verifyGet(raw, null, null)).html).not.toContain('gpc-notice');
    expect(await stateOf(customer, 'personalised-offers')).toBe('not-asked');
    const page = await verifyGet(raw, null, client);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="gpc-notice"');
    expect(await stateOf(customer, 'personalised-offers')).toBe('objected');
    const verified = await verifyPost(raw, null, client);
    expect(verified.status).toBe(200);
    expect(verified.html).toContain('data-testid="gpc-notice"');
    expect((await eventsOf(customer)).filter((e) => e.source === 'gpc')).toHaveLength(1);

    // The zip's link: no page to show it on, but the objection is recorded before the lookup.
    const other = await newCustomer();
    const { raw: exportRaw } = await writeTransaction(
      async (tx) => await createLink(tx, { kind: 'export', customerId: other, payload: {} }),
    );
    await findExportDownload(exportRaw, null);
    expect(await stateOf(other, 'personalised-offers')).toBe('not-asked');
    await findExportDownload(exportRaw, client);
    expect(await stateOf(other, 'personalised-offers')).toBe('objected');
    expect(JSON.parse((await eventsOf(other))[0]!.evidence)).toMatchObject({ method: 'gpc', page: 'export' });
  });

  it("the executor's send for a marked purpose is skipped with a reason naming GPC; others still send", async () => {
    const customer = await newCustomer();
    await recordTestConsent(customer, 'newsletter');
    await recordTestConsent(customer, 'personalised-offers');
    expect(
      (await checkContactAllowed(db.handle().db, { customerId: customer, purposeKey: 'personalised-offers' }))
        .allowed,
    ).toBe(true);
    await honour(customer);
    // The single check (the dispatcher's, read from the database) says the same as the batch reader.
    const decision = await checkContactAllowed(db.handle().db, {
      customerId: customer,
      purposeKey: 'personalised-offers',
    });
    expect(decision).toMatchObject({ allowed: false, code: 'objected' });
    expect(decision.reason).toContain('Global Privacy Control');
    expect(
      (await checkContactAllowed(db.handle().db, { customerId: customer, purposeKey: 'newsletter' })).allowed,
    ).toBe(true);

    const send = (purpose: string): JourneyGraph['nodes'][number] => ({
      id: 'send',
      type: 'send-message',
      position: { x: 0, y: 0 },
      config: { purpose, channel: 'email', subject: 'Hello {{firstName}}', body: 'Offers for {{firstName}}' },
    });
    const reasons: Record<string, { outcome: string; reason: string } | undefined> = {};
    for (const purpose of ['personalised-offers', 'newsletter']) {
      const { journeyId } = await writeTransaction(
        async (tx) =>
          await publishFixtureJourney(tx, `gpc ${purpose}`, graphAround(send(purpose), ['sent', 'skipped'])),
      );
      const enrolled = await enrollCustomer(journeyId, customer);
      if (!enrolled.ok) throw new Error(enrolled.error.message);
      await runUntilIdle(Date.now());
      reasons[purpose] = await db.get<{ outcome: string; reason: string }>(
        "SELECT outcome, reason FROM step_events WHERE enrollment_id = ? AND node_id = 'send'",
        enrolled.value.enrollmentId,
      );
    }
    expect(reasons['personalised-offers']?.outcome).toBe('skipped');
    expect(reasons['personalised-offers']?.reason).toContain(
      "skipped: Global Privacy Control — the customer's browser objected to Personalised offers",
    );
    expect(reasons.newsletter?.outcome).toBe('sent');
  });
});
