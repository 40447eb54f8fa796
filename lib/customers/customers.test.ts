import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTempDatabase } from '@/tests/helpers/db';
import { writeTransaction } from '@/db/client';
import {
  auditLog,
  consentEvents,
  consentState,
  contactBlocks,
  customers,
  events,
  purposes,
  tombstones,
} from '@/db/schema';
import { insertPurposes } from '@/db/store/workspace';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { recordConsentEvent, checkLedgerChain } from '@/lib/privacy/ledger';
import { setContactBlock } from '@/lib/privacy/blocks';
import { tombstoneHash } from '@/lib/privacy/crypto';
import { upsertCustomer, patchCustomer } from './upsert';
import { customerConsents, recordApiConsent } from './consents';
import { stricterConsentState } from './merge-rules';

const db = useTempDatabase();
const actor = { type: 'api_key' as const, id: 1 };

async function seedPurposes() {
  if (!(await db.handle().db.select().from(purposes).all()).length) await insertPurposes(DEMO_PURPOSES);
}

function stateOf(customerId: number, purposeKey: string) {
  return customerConsents(customerId).then(
    (c) => c?.states.find((s) => s.purpose === purposeKey && !s.theme)?.state ?? 'not-asked',
  );
}

describe('stricterConsentState', () => {
  it('lets a withdrawal or an objection win over a grant, whichever side it is on', () => {
    expect(stricterConsentState('granted', 'withdrawn')).toBe('withdrawn');
    expect(stricterConsentState('withdrawn', 'granted')).toBe('withdrawn');
    expect(stricterConsentState('granted', 'objected')).toBe('objected');
    expect(stricterConsentState('withdrawn', 'objected')).toBe('objected');
  });
  it('carries a grant over a profile that was never asked', () => {
    expect(stricterConsentState('not-asked', 'granted')).toBe('granted');
    expect(stricterConsentState('pending', 'granted')).toBe('granted');
  });
});

describe('upsert and merge', () => {
  it('creates once and then updates the same customer by externalId or email', async () => {
    await seedPurposes();
    const first = await upsertCustomer(
      { externalId: 'crm-1', email: 'Anna@Example.com', name: 'Anna' },
      actor,
    );
    expect(first.ok && first.value.created).toBe(true);
    const again = await upsertCustomer({ email: 'anna@example.com', attributes: { tier: 'gold' } }, actor);
    expect(
      again.ok &&
        !again.value.created &&
        again.value.customer.id === (first.ok ? first.value.customer.id : -1),
    ).toBe(true);
    if (again.ok) expect(again.value.customer.attributes).toEqual({ tier: 'gold' });
  });

  it('merges two profiles keeping both ledgers; withdrawal wins over grant; a block is carried over', async () => {
    await seedPurposes();
    const a = await upsertCustomer({ externalId: 'crm-merge-a', name: 'Ben' }, actor);
    const b = await upsertCustomer({ email: 'ben@example.com' }, actor);
    if (!a.ok || !b.ok) throw new Error('setup');
    await writeTransaction(async (tx) => {
      await recordConsentEvent(tx, {
        customerId: a.value.customer.id,
        purposeKey: 'newsletter',
        action: 'grant',
        source: 'api',
        evidence: { form: 'a' },
      });
      await recordConsentEvent(tx, {
        customerId: b.value.customer.id,
        purposeKey: 'newsletter',
        action: 'grant',
        source: 'api',
        evidence: { form: 'b' },
      });
      await recordConsentEvent(tx, {
        customerId: b.value.customer.id,
        purposeKey: 'newsletter',
        action: 'withdraw',
        source: 'api',
        evidence: { form: 'b' },
      });
      await recordConsentEvent(tx, {
        customerId: b.value.customer.id,
        purposeKey: 'personalised-offers',
        action: 'grant',
        source: 'form',
        evidence: { form: 'b' },
      });
      const block = await setContactBlock(tx, {
        customerId: b.value.customer.id,
        scope: 'channel',
        channel: 'sms',
        reason: 'complaint',
        evidence: 'call',
        setBy: 'user:1',
      });
      expect(block.ok).toBe(true);
      await tx
        .insert(events)
        .values({ customerId: b.value.customer.id, name: 'order.completed', occurredAt: new Date() })
        .run();
    });

    const merged = await upsertCustomer({ externalId: 'crm-merge-a', email: 'ben@example.com' }, actor);
    if (!merged.ok) throw new Error(merged.error.message);
    expect(merged.value.customer.id).toBe(a.value.customer.id);
    expect(merged.value.customer.email).toBe('ben@example.com');
    expect(merged.value.mergedCustomerIds).toEqual([b.value.customer.id]);

    expect(await stateOf(a.value.customer.id, 'newsletter')).toBe('withdrawn');
    expect(await stateOf(a.value.customer.id, 'personalised-offers')).toBe('granted');
    const handle = db.handle().db;
    const mergeEvents = await handle
      .select()
      .from(consentEvents)
      .where(and(eq(consentEvents.customerId, a.value.customer.id), eq(consentEvents.source, 'merge')))
      .all();
    expect(mergeEvents.map((e) => e.action).sort()).toEqual(['grant', 'withdraw']);
    // Both ledgers stay: B's own events are untouched and show in A's history.
    expect(
      await handle
        .select()
        .from(consentEvents)
        .where(eq(consentEvents.customerId, b.value.customer.id))
        .all(),
    ).toHaveLength(3);
    const history = await customerConsents(a.value.customer.id);
    expect(history?.history.filter((h) => h.customerId === b.value.customer.id)).toHaveLength(3);
    expect((await checkLedgerChain(handle)).ok).toBe(true);

    const blocks = await handle
      .select()
      .from(contactBlocks)
      .where(eq(contactBlocks.customerId, a.value.customer.id))
      .all();
    expect(blocks.map((block) => [block.scope, block.channel])).toEqual([['channel', 'sms']]);
    expect(
      await handle.select().from(events).where(eq(events.customerId, a.value.customer.id)).all(),
    ).toHaveLength(1);
    const loser = await handle.select().from(customers).where(eq(customers.id, b.value.customer.id)).get();
    expect(loser?.mergedIntoId).toBe(a.value.customer.id);
    expect(loser?.email).toBeNull();
    const audit = await handle.select().from(auditLog).where(eq(auditLog.action, 'customer.merged')).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({
      survivorId: a.value.customer.id,
      mergedId: b.value.customer.id,
      consentChanges: 2,
      blocksCarried: 1,
    });
  });

  it('refuses an address under an erasure tombstone with erased_address and writes nothing', async () => {
    await seedPurposes();
    await db
      .handle()
      .db.insert(tombstones)
      .values({ emailHash: tombstoneHash('gone@example.com'), reason: 'erasure' })
      .run();
    const before = (await db.handle().db.select().from(customers).all()).length;
    const result = await upsertCustomer({ email: 'GONE@example.com' }, actor);
    expect(result).toMatchObject({ ok: false, error: { code: 'erased_address', field: 'email' } });
    const existing = await upsertCustomer({ externalId: 'crm-x' }, actor);
    if (!existing.ok) throw new Error('setup');
    expect(
      await patchCustomer(existing.value.customer.id, { email: 'gone@example.com' }, actor),
    ).toMatchObject({
      ok: false,
      error: { code: 'erased_address' },
    });
    expect((await db.handle().db.select().from(customers).all()).length).toBe(before + 1);
  });

  it('records an API consent with evidence and refuses unknown purposes and themes by field', async () => {
    await seedPurposes();
    const c = await upsertCustomer({ email: 'cara@example.com' }, actor);
    if (!c.ok) throw new Error('setup');
    const granted = await recordApiConsent(
      c.value.customer.id,
      { purpose: 'newsletter', theme: 'recipes', action: 'grant', evidence: { form: 'checkout' } },
      actor,
    );
    expect(granted.ok).toBe(true);
    const state = await db
      .handle()
      .db.select()
      .from(consentState)
      .where(eq(consentState.customerId, c.value.customer.id))
      .all();
    expect(state.map((s) => [s.themeKey, s.state])).toEqual([['recipes', 'granted']]);
    expect(
      await recordApiConsent(
        c.value.customer.id,
        { purpose: 'nope', action: 'grant', evidence: { a: 1 } },
        actor,
      ),
    ).toMatchObject({ ok: false, error: { field: 'purpose' } });
    expect(
      await recordApiConsent(
        c.value.customer.id,
        { purpose: 'newsletter', theme: 'nope', action: 'grant', evidence: { a: 1 } },
        actor,
      ),
    ).toMatchObject({ ok: false, error: { field: 'theme' } });
  });
});
