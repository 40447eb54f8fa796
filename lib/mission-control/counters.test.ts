import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { contactBlocks, ledgerChecks, privacyRequests } from '@/db/schema';
import { type ConsentAction } from '@/lib/vocabulary';
import { listPurposeInfo, readConsentCounters, recountStatesFromLedger } from '@/db/store/dashboard';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { demoCustomers, seededRandom } from '@/lib/demo/customers';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { useTempDatabase } from '@/tests/helpers/db';
import { CUSTOMER_PAGE_SIZE, listCustomersForStaff } from './customer-list';
import { loadConsentSummary } from './summary';

const database = useTempDatabase();
const ACTIONS: ConsentAction[] = [
  'request',
  'grant',
  'withdraw',
  'expire',
  'object',
  'restrict',
  'grant',
  'request',
];

function nonZero(
  rows: { purposeId: number; themeKey: string; state: string; count: number }[],
): Record<string, number> {
  return Object.fromEntries(
    rows
      .filter((r) => r.count !== 0)
      .map((r) => [`${r.purposeId}|${r.themeKey}|${r.state}`, r.count] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

describe('consent counters', () => {
  it('match a recount from the ledger after a random sequence of events', async () => {
    const purposes = await insertPurposes(DEMO_PURPOSES.slice(0, 3));
    const customers = await insertCustomers(demoCustomers(40, 7));
    const newsletter = await purposes.find((p) => p.key === 'newsletter')!;
    const random = seededRandom(2026);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const targets = [
      ...purposes.map((p) => ({ purposeId: p.id, themeKey: '' })),
      { purposeId: newsletter.id, themeKey: 'recipes' },
      { purposeId: newsletter.id, themeKey: 'events' },
    ];
    // Batches of events in separate transactions, as web requests and the worker would write them.
    for (let batch = 0; batch < 30; batch++) {
      await writeTransaction(async (db) => {
        for (let i = 0; i < 20; i++) {
          const target = pick(targets);
          await recordConsentEvent(db, {
            customerId: (await pick(customers)).id,
            purposeId: target.purposeId,
            themeKey: target.themeKey,
            action: pick(ACTIONS),
            source: 'api',
            evidence: { test: batch * 100 + i },
          });
        }
      });
    }
    const counters = nonZero(await readConsentCounters());
    // 'not-asked' is never counted (it is derived); a first event that keeps it (restrict) is recorded.
    const recount = nonZero((await recountStatesFromLedger()).filter((r) => r.state !== 'not-asked'));
    expect(Object.keys(recount).length).toBeGreaterThan(5);
    expect(counters).toEqual(recount);
    expect(Object.values(counters).every((n) => n > 0)).toBe(true);
  });

  it('summary derives not-asked as active customers minus every asked state', async () => {
    const summary = await loadConsentSummary();
    const raw = await readConsentCounters();
    expect(summary.activeCustomers).toBe(40);
    for (const purpose of summary.purposes) {
      const asked = ['pending', 'granted', 'withdrawn', 'expired', 'objected'] as const;
      const total = asked.reduce((sum, s) => sum + purpose.counts[s], 0);
      expect(purpose.counts['not-asked']).toBe(40 - total);
      const info = (await listPurposeInfo()).find((p) => p.key === purpose.key)!;
      for (const state of asked) {
        const stored =
          raw.find((r) => r.purposeId === info.id && r.themeKey === '' && r.state === state)?.count ?? 0;
        expect(purpose.counts[state]).toBe(stored);
      }
    }
    expect(summary.purposes.find((p) => p.key === 'newsletter')!.themes.map((t) => t.key)).toEqual([
      'recipes',
      'new-arrivals',
      'events',
    ]);
  });

  it('summary filters by purpose and theme', async () => {
    const summary = await loadConsentSummary({ purpose: 'newsletter', theme: 'events' });
    expect(summary.purposes.map((p) => p.key)).toEqual(['newsletter']);
    expect(summary.purposes[0]!.themes.map((t) => t.key)).toEqual(['events']);
  });

  it('summary shows blocks by scope and reason, overdue requests first and the last ledger check', async () => {
    const db = database.handle().db;
    const now = new Date();
    await db
      .insert(contactBlocks)
      .values([
        {
          customerId: 1,
          scope: 'all',
          reason: 'complaint',
          evidence: 'phone call',
          setAt: now,
          setBy: 'test',
        },
        {
          customerId: 2,
          scope: 'theme',
          themeKey: 'recipes',
          reason: 'customer-request',
          evidence: 'form',
          setAt: now,
          setBy: 'test',
        },
        {
          customerId: 3,
          scope: 'all',
          reason: 'legal',
          evidence: 'court',
          setAt: now,
          setBy: 'test',
          liftedAt: now,
          liftedBy: 'test',
          liftReason: 'x',
        },
      ])
      .run();
    const day = 86_400_000;
    await db
      .insert(privacyRequests)
      .values([
        {
          customerId: 1,
          kind: 'access',
          status: 'open',
          source: 'api',
          receivedAt: now,
          dueAt: new Date(now.getTime() + 20 * day),
        },
        {
          customerId: 2,
          kind: 'erasure',
          status: 'in-progress',
          source: 'api',
          receivedAt: now,
          dueAt: new Date(now.getTime() - day),
        },
        {
          customerId: 3,
          kind: 'access',
          status: 'completed',
          source: 'api',
          receivedAt: now,
          dueAt: new Date(now.getTime() - day),
        },
      ])
      .run();
    await db
      .insert(ledgerChecks)
      .values({
        ok: false,
        checkedCount: 12,
        firstBrokenEventId: 7,
        message: 'event 7 hash does not match its contents',
      })
      .run();

    const summary = await loadConsentSummary({}, now);
    expect(summary.blocks.active).toBe(2);
    expect(summary.blocks.byScopeAndReason).toEqual([
      { scope: 'all', reason: 'complaint', count: 1 },
      { scope: 'theme', reason: 'customer-request', count: 1 },
    ]);
    const newsletter = summary.purposes.find((p) => p.key === 'newsletter')!;
    expect(newsletter.blocked).toBe(1);
    expect(newsletter.themes.find((t) => t.key === 'recipes')!.blocked).toBe(2);
    expect(newsletter.themes.find((t) => t.key === 'events')!.blocked).toBe(1);
    expect(summary.privacyRequests.open).toBe(2);
    expect(summary.privacyRequests.overdue).toBe(1);
    expect(summary.privacyRequests.items.map((r) => [r.kind, r.overdue])).toEqual([
      ['erasure', true],
      ['access', false],
    ]);
    expect(summary.ledger).toMatchObject({ ok: false, firstBrokenEventId: 7, checkedCount: 12 });

    // Lifting a block bumps contact_blocks' version, so the cached block figures are recomputed.
    await db
      .update(contactBlocks)
      .set({ liftedAt: now, liftedBy: 'test', liftReason: 'resolved' })
      .where(eq(contactBlocks.customerId, 1))
      .run();
    const after = await loadConsentSummary({}, now);
    expect(after.blocks.active).toBe(1);
    expect(after.purposes.find((p) => p.key === 'newsletter')!.blocked).toBe(0);
  });

  it('drill-down lists match the numbers they come from', async () => {
    const summary = await loadConsentSummary();
    const newsletter = summary.purposes.find((p) => p.key === 'newsletter')!;
    for (const state of ['granted', 'not-asked', 'pending'] as const) {
      const list = await listCustomersForStaff({ purpose: 'newsletter', state });
      expect(list.rows.length, state).toBe(newsletter.counts[state]);
      expect(list.rows.every((r) => (r.consentState ?? 'not-asked') === state)).toBe(true);
    }
    const blocked = await listCustomersForStaff({ blocked: true });
    expect(blocked.rows.map((r) => r.id)).toEqual([2]);
    const firstPage = await listCustomersForStaff({});
    expect(firstPage.rows.length).toBe(CUSTOMER_PAGE_SIZE > 40 ? 40 : CUSTOMER_PAGE_SIZE);
    expect(firstPage.rows[0]!.id).toBeGreaterThan(firstPage.rows[1]!.id);
  });
});
