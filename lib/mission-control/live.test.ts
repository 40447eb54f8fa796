import { describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { enrollments, journeys } from '@/db/schema';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { demoCustomers } from '@/lib/demo/customers';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { useTempDatabase } from '@/tests/helpers/db';
import { ledgerCsvStream, recordsCsv, recordsOfProcessing } from './exports';
import { loadDashboardInsights } from './insights';
import { consentEventStream } from './stream';

const database = useTempDatabase();
const HOUR = 3_600_000;

async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  predicate: (text: string) => boolean,
  timeoutMs = 3_000,
) {
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (!predicate(text)) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`timeout; got: ${text.slice(0, 500)}`)),
          Math.max(1, deadline - Date.now()),
        ),
      ),
    ]);
    if (chunk.done) break;
    text += decoder.decode(chunk.value);
  }
  return text;
}

describe('live stream, insights and exports', () => {
  it('streams a ledger write to an open stream with a refreshed summary, without personal data, and closes on abort', async () => {
    await insertPurposes(DEMO_PURPOSES.slice(0, 2));
    const customers = await insertCustomers(demoCustomers(5, 3));
    const abort = new AbortController();
    const reader = consentEventStream({
      filter: {},
      signal: abort.signal,
      stillAuthorized: async () => true,
    }).getReader();
    const first = await readUntil(reader, (t) => t.includes('event: summary'));
    expect(first.startsWith('retry: 3000')).toBe(true);

    const written = Date.now();
    await writeTransaction(
      async (db) =>
        await recordConsentEvent(db, {
          customerId: customers[0]!.id,
          purposeKey: 'newsletter',
          action: 'request',
          source: 'form',
          evidence: { ip: '192.0.2.1' },
        }),
    );
    const text = await readUntil(
      reader,
      (t) =>
        t.includes('event: consent') &&
        /event: summary[\s\S]*"pending":1/.test(t.split('event: consent')[1] ?? ''),
    );
    expect(Date.now() - written).toBeLessThan(1_500);
    const consentData = /event: consent\ndata: (.*)\n/.exec(text)![1]!;
    const payload = JSON.parse(consentData) as { events: Record<string, unknown>[] };
    expect(payload.events).toHaveLength(1);
    expect(payload.events[0]).toMatchObject({
      purposeKey: 'newsletter',
      action: 'request',
      state: 'pending',
    });
    expect(Object.keys(payload.events[0]!)).not.toContain('customerId');
    expect(text).not.toContain(customers[0]!.email);
    expect(text).not.toContain('192.0.2.1');

    abort.abort();
    const end = await reader.read();
    expect(end.done).toBe(true);
  });

  it('funnel counts requests, confirmations and the median time to confirm; chart counts per day', async () => {
    const customers = await insertCustomers(
      demoCustomers(4, 11).map((c, i) => ({ ...c, email: `funnel${i}@example.test`, externalId: `f${i}` })),
    );
    const base = Date.now() - 5 * 24 * HOUR;
    const at = (hours: number) => new Date(base + hours * HOUR);
    await writeTransaction(async (db) => {
      const write = async (customer: number, action: 'request' | 'grant' | 'expire', hours: number) =>
        await recordConsentEvent(db, {
          customerId: customers[customer]!.id,
          purposeKey: 'personalised-offers',
          action,
          source: 'form',
          evidence: {},
          occurredAt: at(hours),
        });
      await write(0, 'request', 0);
      await write(0, 'grant', 1);
      await write(1, 'request', 0);
      await write(1, 'grant', 3);
      await write(2, 'request', 0);
      await write(2, 'expire', 48);
      await write(3, 'request', 2);
    });
    const insights = await loadDashboardInsights({ purpose: 'personalised-offers', period: '30d' });
    expect(insights.funnel).toMatchObject({
      requested: 4,
      confirmed: 2,
      expired: 1,
      stillPending: 1,
      rate: 0.5,
      medianMsToConfirm: 2 * HOUR,
    });
    const total = insights.changes.reduce(
      (sum, p) => sum + (p.request ?? 0) + (p.grant ?? 0) + (p.expire ?? 0),
      0,
    );
    expect(total).toBe(7);
    expect(insights.changes.length).toBeGreaterThanOrEqual(30);
  });

  it('finds customers waiting in a journey for a consent never asked', async () => {
    const db = database.handle().db;
    const [asked, unasked] = await insertCustomers(
      demoCustomers(2, 5).map((c, i) => ({ ...c, email: `wait${i}@example.test`, externalId: `w${i}` })),
    );
    const journey = await db.insert(journeys).values({ name: 'Welcome', status: 'live' }).returning().get();
    await writeTransaction(
      async (tx) =>
        await recordConsentEvent(tx, {
          customerId: asked!.id,
          purposeKey: 'newsletter',
          action: 'request',
          source: 'form',
          evidence: {},
        }),
    );
    const now = new Date();
    for (const customer of [asked!, unasked!]) {
      await db
        .insert(enrollments)
        .values({
          journeyId: journey.id,
          versionId: 1,
          customerId: customer.id,
          nodeId: 'gate',
          state: 'waiting',
          waitKey: 'consent:newsletter',
          runAt: now.getTime(),
          enteredAt: now,
          updatedAt: now,
        })
        .run();
    }
    const insights = await loadDashboardInsights({ period: '7d' }, new Date(now.getTime() + 10_000));
    expect(insights.waitingForUnasked).toEqual([
      { purposeKey: 'newsletter', journeyId: journey.id, journeyName: 'Welcome', count: 1 },
    ]);
  });

  it('exports the ledger as CSV with chain hashes that link row to row', async () => {
    const reader = ledgerCsvStream({}).getReader();
    let csv = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      csv += new TextDecoder().decode(value);
    }
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,occurred_at,occurred_at_ms,customer_id,purpose_id,purpose_key,theme_key,action,state_after,source,notice_hash,evidence_digest,prev_hash,hash',
    );
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(9);
    for (let i = 1; i < rows.length; i++) expect(rows[i]![12]).toBe(rows[i - 1]![13]);
    expect(rows[0]![12]).toBe('0'.repeat(64));
  });

  it('lists the record of processing activities with legal basis, recipients and retention', async () => {
    const csv = recordsCsv(await recordsOfProcessing());
    expect(csv.split('\r\n')[0]).toBe(
      'purpose_key,purpose,description,legal_basis,journeys,data_categories,recipients,retention,retention_duty,themes,notice_version,technical_measures',
    );
    expect(csv).toContain('Consent — Art. 6(1)(a)');
    expect(csv).toContain('730 days');
  });

  it('the funnel counts a person once per purpose, with its themes, and its numbers add up', async () => {
    const customers = await insertCustomers(
      demoCustomers(2, 12).map((c, i) => ({ ...c, email: `themed${i}@example.test`, externalId: `t${i}` })),
    );
    const base = Date.now() - 3 * 24 * HOUR;
    // Other tests here wrote newsletter events too: compare before and after (a later `now` skips the cache).
    const before = (await loadDashboardInsights({ purpose: 'newsletter', period: '7d' })).funnel;
    const beforeTheme = (
      await loadDashboardInsights({ purpose: 'newsletter', theme: 'recipes', period: '7d' })
    ).funnel;
    await writeTransaction(async (db) => {
      const write = async (customer: number, action: 'request' | 'grant', themeKey: string, hours: number) =>
        await recordConsentEvent(db, {
          customerId: customers[customer]!.id,
          purposeKey: 'newsletter',
          themeKey,
          action,
          source: 'form',
          evidence: {},
          occurredAt: new Date(base + hours * HOUR),
        });
      // One opt-in for the newsletter with a theme, confirmed after 2 h: request and grant twice each.
      await write(0, 'request', '', 0);
      await write(0, 'request', 'recipes', 0);
      await write(0, 'grant', '', 2);
      await write(0, 'grant', 'recipes', 2);
      await write(1, 'request', '', 1);
    });
    const later = new Date(Date.now() + 10_000);
    const after = (await loadDashboardInsights({ purpose: 'newsletter', period: '7d' }, later)).funnel;
    expect(after.requested - before.requested).toBe(2);
    expect(after.confirmed - before.confirmed).toBe(1);
    expect(after.stillPending - before.stillPending).toBe(1);
    expect(after.expired - before.expired).toBe(0);
    expect(after.requested).toBe(after.confirmed + after.expired + after.stillPending);
    const themed = (
      await loadDashboardInsights({ purpose: 'newsletter', theme: 'recipes', period: '7d' }, later)
    ).funnel;
    expect(themed.requested - beforeTheme.requested).toBe(1);
    expect(themed.confirmed - beforeTheme.confirmed).toBe(1);
  });

  // Last: its streams read the purposes while there are none (the summary caches them briefly).
  it('ends an open stream at the first heartbeat after its session or key stopped allowing it, and at its maximum lifetime', async () => {
    process.env.TARMO_SSE_HEARTBEAT_MS = '150';
    process.env.TARMO_SSE_MAX_LIFETIME_MS = '60000';
    try {
      let allowed = true;
      let checks = 0;
      const reader = consentEventStream({
        filter: {},
        signal: new AbortController().signal,
        stillAuthorized: async () => {
          checks++;
          return allowed;
        },
      }).getReader();
      await readUntil(reader, (t) => t.includes(': heartbeat'));
      expect(checks).toBeGreaterThanOrEqual(1);
      allowed = false; // e.g. the staff member signed out, or the key was revoked
      const text = await readUntil(reader, (t) => t.includes('event: end'));
      expect(text).toContain('data: {"reason":"unauthorized"}');
      expect((await reader.read()).done).toBe(true);

      process.env.TARMO_SSE_MAX_LIFETIME_MS = '1000';
      const old = consentEventStream({
        filter: {},
        signal: new AbortController().signal,
        stillAuthorized: async () => true,
      }).getReader();
      const lifetime = await readUntil(old, (t) => t.includes('event: end'), 5_000);
      expect(lifetime).toContain('data: {"reason":"max-lifetime"}');
      expect((await old.read()).done).toBe(true);
    } finally {
      delete process.env.TARMO_SSE_HEARTBEAT_MS;
      delete process.env.TARMO_SSE_MAX_LIFETIME_MS;
    }
  });
});
