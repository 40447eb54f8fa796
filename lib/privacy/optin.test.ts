import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { writeTransaction } from '@/db/client';
import { seedPrivacyFixtures } from '@/tests/fixtures/privacy';
import { requestDoubleOptIn, confirmOptInIn, describeOptIn, expireStaleOptInsIn } from './optin';
import { checkContactAllowed } from './contact-check';
import { newLinkToken } from './crypto';

const db = useTempDatabase();
const MIN = 60_000;

async function linkFromOutbox(customerId: number): Promise<string> {
  const row = (await db.get(
    "SELECT body_text FROM outbox WHERE customer_id = ? AND category = 'optin' ORDER BY id DESC",
    customerId,
  )) as { body_text: string };
  const match = /\/optin\/([A-Za-z0-9_-]{43})/.exec(row.body_text);
  if (!match) throw new Error('no link in mail');
  return match[1];
}

describe('double opt-in', () => {
  it('sends one mail, stays pending until the click, then grants with evidence; replay is refused', async () => {
    const { customers } = await seedPrivacyFixtures(6);
    const c = customers[0];
    const t0 = new Date();
    const sent = await writeTransaction(
      async (tx) =>
        await requestDoubleOptIn(tx, {
          customerId: c.id,
          purposeKey: 'newsletter',
          themes: ['recipes', 'nope'],
          source: 'form',
          evidence: {},
          now: t0,
        }),
    );
    expect(sent).toMatchObject({ ok: true, value: { kind: 'sent' } });
    expect(
      await checkContactAllowed(db.handle().db, { customerId: c.id, purposeKey: 'newsletter' }),
    ).toMatchObject({ allowed: false, code: 'no-consent' });
    const raw = await linkFromOutbox(c.id);

    // GET (a link scanner) only describes.
    const view = await describeOptIn(db.handle().db, raw);
    expect(view).toMatchObject({
      ok: true,
      value: { purposeName: 'Newsletter', themes: [{ key: 'recipes' }] },
    });
    expect(
      (await checkContactAllowed(db.handle().db, { customerId: c.id, purposeKey: 'newsletter' })).allowed,
    ).toBe(false);

    const confirmed = await writeTransaction(
      async (tx) => await confirmOptInIn(tx, raw, { ip: '203.0.113.77', userAgent: 'Test/1.0' }),
    );
    expect(confirmed.ok).toBe(true);
    expect(
      (
        await checkContactAllowed(db.handle().db, {
          customerId: c.id,
          purposeKey: 'newsletter',
          themeKey: 'recipes',
        })
      ).allowed,
    ).toBe(true);
    const evidence = (await db.get(
      "SELECT d.details FROM consent_events e JOIN consent_evidence d ON d.event_id = e.id WHERE e.customer_id = ? AND e.action = 'grant' AND e.theme_key = ''",
      c.id,
    )) as { details: string };
    expect(JSON.parse(evidence.details)).toMatchObject({
      ip: '203.0.113.0',
      userAgent: 'Test/1.0',
      noticeVersion: 1,
    });

    const replay = await writeTransaction(async (tx) => await confirmOptInIn(tx, raw, { ip: '1.1.1.1' }));
    expect(replay).toMatchObject({ ok: false, error: { code: 'gone' } });
    // Already granted: no new mail.
    const again = await writeTransaction(
      async (tx) =>
        await requestDoubleOptIn(tx, {
          customerId: c.id,
          purposeKey: 'newsletter',
          source: 'form',
          evidence: {},
          now: new Date(t0.getTime() + 60 * MIN),
        }),
    );
    expect(again).toMatchObject({ ok: true, value: { kind: 'already-granted' } });
  });

  it('refuses random, truncated, other-kind and expired tokens with the same kind of answer', async () => {
    const c = (
      (await db.get('SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET 1')) as {
        id: number;
      }
    ).id;
    const t0 = new Date(Date.now() - 100 * 3600_000);
    await writeTransaction(
      async (tx) =>
        await requestDoubleOptIn(tx, {
          customerId: c,
          purposeKey: 'personalised-offers',
          source: 'journey',
          evidence: {},
          expiresHours: 1,
          now: t0,
        }),
    );
    const raw = await linkFromOutbox(c);
    expect(await describeOptIn(db.handle().db, newLinkToken().raw)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await describeOptIn(db.handle().db, raw.slice(0, 20))).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await describeOptIn(db.handle().db, `${raw}'; DROP TABLE customers;--`)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await describeOptIn(db.handle().db, raw)).toMatchObject({ ok: false, error: { code: 'gone' } });
    expect(await writeTransaction(async (tx) => await confirmOptInIn(tx, raw, {}))).toMatchObject({
      ok: false,
      error: { code: 'gone' },
    });

    // The worker's sweep records the expiry in the ledger.
    const expired = await writeTransaction(async (tx) => await expireStaleOptInsIn(tx, new Date()));
    expect(expired).toBeGreaterThanOrEqual(1);
    const state = (await db.get(
      "SELECT s.state FROM consent_state s JOIN purposes p ON p.id = s.purpose_id WHERE s.customer_id = ? AND p.key = 'personalised-offers'",
      c,
    )) as { state: string };
    expect(state.state).toBe('expired');
  });

  it('holds the resend cooldown against mail bombing: 1 per 10 minutes, 3 per day', async () => {
    const c = (
      (await db.get('SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET 2')) as {
        id: number;
      }
    ).id;
    const start = Date.now() - 23 * 3600_000;
    const outcomes: string[] = [];
    for (let i = 0; i < 40; i++) {
      // Forty attempts spread over 20 hours, two per half hour.
      const now = new Date(start + Math.floor(i / 2) * 30 * MIN + (i % 2) * MIN);
      const result = await writeTransaction(
        async (tx) =>
          await requestDoubleOptIn(tx, {
            customerId: c,
            purposeKey: 'newsletter',
            source: 'form',
            evidence: {},
            now,
          }),
      );
      outcomes.push(result.ok ? result.value.kind : result.error.code);
    }
    expect(outcomes.filter((s) => s === 'sent')).toHaveLength(3);
    expect(outcomes.filter((s) => s === 'rate_limited')).toHaveLength(37);
    const mails = (await db.get(
      "SELECT count(*) AS n FROM outbox WHERE customer_id = ? AND category = 'optin'",
      c,
    )) as { n: number };
    expect(mails.n).toBe(3);
  });

  it("another customer's token confirms only that customer's consent", async () => {
    const ids = (
      (await db.all('SELECT id FROM customers ORDER BY id LIMIT 2 OFFSET 3')) as {
        id: number;
      }[]
    ).map((r) => r.id);
    await writeTransaction(
      async (tx) =>
        await requestDoubleOptIn(tx, {
          customerId: ids[0],
          purposeKey: 'newsletter',
          source: 'form',
          evidence: {},
        }),
    );
    await writeTransaction(
      async (tx) =>
        await requestDoubleOptIn(tx, {
          customerId: ids[1],
          purposeKey: 'newsletter',
          source: 'form',
          evidence: {},
        }),
    );
    const rawOfFirst = await linkFromOutbox(ids[0]);
    await writeTransaction(async (tx) => await confirmOptInIn(tx, rawOfFirst, {}));
    expect(
      (await checkContactAllowed(db.handle().db, { customerId: ids[0], purposeKey: 'newsletter' })).allowed,
    ).toBe(true);
    expect(
      (await checkContactAllowed(db.handle().db, { customerId: ids[1], purposeKey: 'newsletter' })).allowed,
    ).toBe(false);
  });
});
