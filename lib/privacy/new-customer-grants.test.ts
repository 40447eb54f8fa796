import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { insertCustomersSkippingConflicts } from '@/db/store/customers';
import { insertWebhook } from '@/db/store/webhooks';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { useTempDatabase } from '@/tests/helpers/db';
import { recordConsent, recordConsentEvent, verifyLedger } from './ledger';
import { recordNewCustomerGrants } from './new-customer-grants';
import { receiptJwks } from './receipt-keys';
import { checkReceiptInLedger, receiptPayloadOf, verifyReceiptSignature } from './receipts';

const db = useTempDatabase();

type EventRow = {
  id: number;
  customer_id: number;
  purpose_id: number;
  theme_key: string;
  action: string;
  state_after: string;
  source: string;
  notice_hash: string | null;
  evidence_digest: string;
  occurred_at: number;
  prev_hash: string;
  hash: string;
};

const LOCALES = ['en', 'de', 'en', 'de'] as const;
const occurredAt = new Date('2026-12-01T10:00:00.000Z');
const evidenceOf = (i: number) => ({
  source: 'shop form',
  evidence: `ticked box ${i}`,
  importJobId: 7,
  row: i + 2,
});

let purposeId = 0;
beforeAll(async () => {
  const purposes = await insertPurposes(DEMO_PURPOSES);
  purposeId = purposes.find((purpose) => purpose.key === 'newsletter')!.id;
  await insertWebhook({
    name: 'crm',
    url: 'https://crm.example/hook',
    events: ['consent.changed'],
    secret: 's',
  });
  await insertWebhook({
    name: 'other',
    url: 'https://other.example/hook',
    events: ['customer.erased'],
    secret: 's',
  });
});

/** Customers with these locales, new (no consent, no enrollments). */
async function newCustomers(prefix: string, locales: readonly string[]) {
  return await insertCustomers(
    locales.map((locale, i) => ({ email: `${prefix}${i}@example.com`, name: `${prefix} ${i}`, locale })),
  );
}

/** What an event, its evidence, state, receipt and webhook say, without ids, customers and hashes. */
async function writtenFor(customerId: number) {
  const event = (await db.get<EventRow>('SELECT * FROM consent_events WHERE customer_id = ?', customerId))!;
  const evidence = await db.get<{ details: string }>(
    'SELECT details FROM consent_evidence WHERE event_id = ?',
    event.id,
  );
  const state = await db.get<Record<string, unknown>>(
    'SELECT state, last_event_id, notice_hash, updated_at FROM consent_state WHERE customer_id = ?',
    customerId,
  );
  const receipts = await db.all<{ token: string; kid: string; event_id: number }>(
    'SELECT token, kid, event_id FROM consent_receipts WHERE customer_id = ?',
    customerId,
  );
  const hooks = await db.all<{ payload: string }>(
    "SELECT payload FROM outbox WHERE kind = 'webhook' AND customer_id = ?",
    customerId,
  );
  const { id, customer_id: _customer, prev_hash: _prev, hash, ...fields } = event;
  const receipt = receiptPayloadOf(receipts[0]!.token);
  expect(receipt.ledger).toMatchObject({ eventId: id, hash });
  expect(state).toMatchObject({ last_event_id: id });
  const hookData = hooks.map((hook) => (JSON.parse(hook.payload) as { data: Record<string, unknown> }).data);
  for (const data of hookData) expect(data).toMatchObject({ customerId, eventId: id });
  return {
    event: { ...fields, occurred_at: Number(fields.occurred_at) },
    evidence: JSON.parse(evidence!.details) as unknown,
    state: { ...state, last_event_id: 'the event', updated_at: Number(state!.updated_at) },
    receipts: receipts.map((row) => {
      const { jti: _jti, ledger: _ledger, ...payload } = receiptPayloadOf(row.token);
      return { kid: row.kid, eventId: row.event_id === id, payload };
    }),
    webhooks: hookData.map(({ customerId: _c, eventId: _e, ...data }) => data),
  };
}

describe('recordNewCustomerGrants', () => {
  it('writes for each grant what recordConsentEvent writes, chained between per-row appends, and the chain verifies', async () => {
    const [first] = await newCustomers('first', ['en']);
    await recordConsent({
      customerId: first!.id,
      purposeId,
      action: 'grant',
      source: 'import',
      evidence: {},
    });
    const batched = await newCustomers('batch', LOCALES);
    const twins = await newCustomers('twin', LOCALES);

    const result = await writeTransaction(
      async (tx) =>
        await recordNewCustomerGrants(tx, {
          purposeId,
          source: 'import',
          grants: batched.map((customer, i) => ({ customerId: customer.id, evidence: evidenceOf(i) })),
          occurredAt,
        }),
    );
    expect(result.ok).toBe(true);
    // The per-row path after the batch: its first event links to the batch's last hash.
    for (const [i, twin] of twins.entries())
      await writeTransaction(
        async (tx) =>
          await recordConsentEvent(tx, {
            customerId: twin.id,
            purposeId,
            action: 'grant',
            source: 'import',
            evidence: evidenceOf(i),
            occurredAt,
          }),
      );

    for (const [i, customer] of batched.entries()) {
      const written = await writtenFor(customer.id);
      expect(written).toEqual(await writtenFor(twins[i]!.id));
      expect(written.webhooks).toHaveLength(1);
      expect(written.receipts).toHaveLength(1);
      expect(written.event.notice_hash).toBeTruthy();
    }
    // German and English customers were granted under their own notices, as one by one.
    const notices = await db.all<{ notice_hash: string }>(
      `SELECT DISTINCT notice_hash FROM consent_events WHERE customer_id IN (${batched.map((c) => c.id).join(', ')})`,
    );
    expect(notices).toHaveLength(2);

    const verified = await verifyLedger(db.handle());
    expect(verified).toMatchObject({ ok: true, checked: 1 + LOCALES.length * 2 });
    const counters = await db.all<{ count: number }>(
      "SELECT count FROM consent_counters WHERE purpose_id = ? AND theme_key = '' AND state = 'granted'",
      purposeId,
    );
    expect(counters.map((row) => Number(row.count))).toEqual([1 + LOCALES.length * 2]);

    const jwks = await receiptJwks();
    for (const customer of batched) {
      const { token } = (await db.get<{ token: string }>(
        'SELECT token FROM consent_receipts WHERE customer_id = ?',
        customer.id,
      ))!;
      const verifiedReceipt = await verifyReceiptSignature(token, jwks);
      expect(verifiedReceipt.ok).toBe(true);
      if (verifiedReceipt.ok)
        expect(await checkReceiptInLedger(db.handle().db, verifiedReceipt.payload)).toEqual({ ok: true });
    }
  });

  it('appends a batch larger than one statement takes (2,000 rows) in chain order, in the transaction that created the customers', async () => {
    const size = 2100;
    const events = async () =>
      Number((await db.get<{ n: number }>('SELECT count(*) AS n FROM consent_events'))!.n);
    const before = await events();
    const result = await writeTransaction(async (tx) => {
      const ids = await insertCustomersSkippingConflicts(
        tx,
        Array.from({ length: size }, (_, i) => ({ email: `bulk${i}@example.com`, locale: LOCALES[i % 4] })),
      );
      return await recordNewCustomerGrants(tx, {
        purposeId,
        source: 'import',
        grants: ids.map((id, i) => ({ customerId: id!, evidence: evidenceOf(i) })),
      });
    });
    expect(result.ok && result.events.length).toBe(size);
    expect(result.ok && result.events.every((event) => event.receiptId)).toBe(true);
    expect(await events()).toBe(before + size);
    expect(await verifyLedger(db.handle())).toMatchObject({ ok: true, checked: before + size });
    expect(Number((await db.get<{ n: number }>('SELECT count(*) AS n FROM consent_receipts'))!.n)).toBe(
      before + size,
    );
  });

  it('refuses, writing nothing, customers that hold a consent state for the purpose', async () => {
    const customers = await newCustomers('held', ['en', 'en']);
    await recordConsent({
      customerId: customers[1]!.id,
      purposeId,
      action: 'withdraw',
      source: 'api',
      evidence: {},
    });
    const events = async () =>
      Number((await db.get<{ n: number }>('SELECT count(*) AS n FROM consent_events'))!.n);
    const before = await events();
    const result = await writeTransaction(
      async (tx) =>
        await recordNewCustomerGrants(tx, {
          purposeId,
          source: 'import',
          grants: customers.map((customer, i) => ({ customerId: customer.id, evidence: evidenceOf(i) })),
        }),
    );
    expect(result).toEqual({ ok: false, reason: 'a customer already has a consent state for the purpose' });
    expect(await events()).toBe(before);
    expect(await verifyLedger(db.handle())).toMatchObject({ ok: true });
  });
});
