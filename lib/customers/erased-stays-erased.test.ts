import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { insertPurposes } from '@/db/store/workspace';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { eraseCustomer, isTombstoned } from '@/lib/privacy/forget';
import { confirmOptInIn, expireStaleOptIns } from '@/lib/privacy/optin';
import { processSignup } from '@/lib/privacy/subscribe';
import { useTempDatabase } from '@/tests/helpers/db';
import { recordApiConsent } from './consents';
import { ingestEvents } from './events';
import { patchCustomer, upsertCustomer } from './upsert';

const db = useTempDatabase();
const actor = { type: 'api_key' as const, id: 1 };
const HOUR = 3_600_000;

beforeAll(async () => {
  await insertPurposes(DEMO_PURPOSES);
});

async function signUp(email: string): Promise<{ id: number; email: string; name: string; status: string }> {
  await processSignup(
    { email, purposes: ['newsletter'], noticeVersion: 1 },
    { ip: '203.0.113.5', userAgent: 'T' },
  );
  return (await db.get(
    'SELECT id, email, name, status FROM customers WHERE email = ?',
    email.toLowerCase(),
  ))!;
}

async function optInLink(customerId: number): Promise<string> {
  const row = await db.get<{ body_text: string }>(
    "SELECT body_text FROM outbox WHERE customer_id = ? AND category = 'optin' ORDER BY id DESC",
    customerId,
  );
  return /\/optin\/([A-Za-z0-9_-]{43})/.exec(row?.body_text ?? '')![1]!;
}

describe('an erased address stays erased until the person comes back', () => {
  it('no API path writes profile data for it while a sign-up is pending, and an unconfirmed sign-up is erased again', async () => {
    const created = await upsertCustomer(
      { email: 'gone@example.test', externalId: 'crm-gone', name: 'Gone' },
      actor,
    );
    if (!created.ok) throw new Error('upsert');
    expect((await eraseCustomer(created.value.customer.id)).ok).toBe(true);

    expect(await upsertCustomer({ email: 'Gone@example.test', name: 'Back?' }, actor)).toMatchObject({
      ok: false,
      error: { code: 'erased_address' },
    });

    // The person (or someone typing their address) signs up: only what the opt-in needs is kept.
    const pending = await signUp('gone@example.test');
    expect(pending).toMatchObject({ email: 'gone@example.test', name: '', status: 'active' });
    expect(await isTombstoned(db.handle().db, 'gone@example.test')).toBe(true);

    // Every other path is refused while the sign-up is unconfirmed.
    expect(await upsertCustomer({ email: 'gone@example.test', name: 'Gone' }, actor)).toMatchObject({
      ok: false,
      error: { code: 'erased_address' },
    });
    const other = await upsertCustomer({ externalId: 'crm-other', name: 'Other' }, actor);
    if (!other.ok) throw new Error('upsert');
    expect(
      await upsertCustomer({ externalId: 'crm-other', email: 'gone@example.test' }, actor),
    ).toMatchObject({
      ok: false,
      error: { code: 'erased_address' },
    });
    expect(
      await patchCustomer(pending.id, { name: 'Gone', attributes: { tier: 'gold' } }, actor),
    ).toMatchObject({
      ok: false,
      error: { code: 'erased_address' },
    });
    expect(await ingestEvents([{ email: 'gone@example.test', name: 'order', properties: {} }])).toMatchObject(
      {
        ok: false,
        error: { code: 'erased_customer' },
      },
    );
    expect(await ingestEvents([{ customerId: pending.id, name: 'order', properties: {} }])).toMatchObject({
      ok: false,
      error: { code: 'erased_customer' },
    });
    expect(
      await recordApiConsent(pending.id, { purpose: 'newsletter', action: 'grant', evidence: {} }, actor),
    ).toMatchObject({ ok: false, error: { code: 'erased_address' } });
    const profile = await db.get(
      'SELECT name, external_id, attributes, merged_into_id FROM customers WHERE id = ?',
      pending.id,
    );
    expect(profile).toEqual({ name: '', external_id: null, attributes: '{}', merged_into_id: null });
    expect(await db.get('SELECT count(*) AS n FROM events WHERE customer_id = ?', pending.id)).toMatchObject({
      n: 0,
    });

    // Not confirmed in time: the pending profile is erased again, the tombstone stays.
    expect(await expireStaleOptIns(new Date(Date.now() + 73 * HOUR))).toBeGreaterThan(0);
    expect(await db.get('SELECT email, status FROM customers WHERE id = ?', pending.id)).toEqual({
      email: null,
      status: 'erased',
    });
    expect(await isTombstoned(db.handle().db, 'gone@example.test')).toBe(true);
  });

  it('the person’s own confirmation brings the address back', async () => {
    const created = await upsertCustomer({ email: 'returns@example.test' }, actor);
    if (!created.ok) throw new Error('upsert');
    await eraseCustomer(created.value.customer.id);
    const pending = await signUp('returns@example.test');
    const raw = await optInLink(pending.id);
    expect(
      (await writeTransaction(async (tx) => await confirmOptInIn(tx, raw, { ip: '203.0.113.5' }))).ok,
    ).toBe(true);
    expect(await isTombstoned(db.handle().db, 'returns@example.test')).toBe(false);
    expect(await upsertCustomer({ email: 'returns@example.test', name: 'Back' }, actor)).toMatchObject({
      ok: true,
    });
    // A confirmed customer is not erased by the expiry of other links.
    await expireStaleOptIns(new Date(Date.now() + 73 * HOUR));
    expect(await db.get('SELECT status FROM customers WHERE id = ?', pending.id)).toEqual({
      status: 'active',
    });
  });
});
