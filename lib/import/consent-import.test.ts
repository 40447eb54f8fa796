import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectOf, writeTransaction } from '@/db/client';
import { createImportJob } from '@/db/store/imports';
import { insertWebhook } from '@/db/store/webhooks';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { recordConsentEvent, verifyLedger } from '@/lib/privacy/ledger';
import { receiptJwks } from '@/lib/privacy/receipt-keys';
import { checkReceiptInLedger, verifyReceiptSignature } from '@/lib/privacy/receipts';
import { useTempDatabase } from '@/tests/helpers/db';
import { runImportJob } from './run';

/**
 * The consent column of a CSV import through the ledger: new customers' grants are appended as
 * one batch (lib/privacy/new-customer-grants), known customers' one by one; either way every
 * grant has its event, evidence, receipt, state, counter and webhook, and the chain verifies.
 */
const db = useTempDatabase();

const MAPPING = {
  columns: {
    email: 'email',
    name: 'name',
    language: 'locale',
    consent: 'consent',
    consent_source: 'consentSource',
    consent_evidence: 'consentEvidence',
  },
  consentPurpose: 'newsletter',
} as const;

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
});

async function importCsv(name: string, lines: string[]) {
  const file = path.join(db.dir(), name);
  fs.writeFileSync(
    file,
    ['email,name,language,consent,consent_source,consent_evidence', ...lines].join('\n'),
  );
  const job = await createImportJob({ fileName: name, createdBy: null });
  return await runImportJob({
    jobId: job.id,
    mapping: MAPPING,
    dryRun: false,
    actorId: null,
    filePath: file,
  });
}

const count = async (text: string, ...params: unknown[]) =>
  Number((await db.get<{ n: number }>(text, ...params))!.n);

/** Every grant of the purpose: an event with evidence, a receipt that verifies, a state, a webhook. */
async function expectEveryGrantComplete(expectedGrants: number) {
  const grants = await db.all<{ id: number; customer_id: number }>(
    "SELECT id, customer_id FROM consent_events WHERE purpose_id = ? AND action = 'grant' ORDER BY id",
    purposeId,
  );
  expect(grants).toHaveLength(expectedGrants);
  expect(
    await count(
      `SELECT count(*) AS n FROM consent_events e JOIN consent_evidence v ON v.event_id = e.id
       WHERE e.purpose_id = ? AND e.action = 'grant'`,
      purposeId,
    ),
  ).toBe(expectedGrants);
  expect(
    await count(
      "SELECT count(*) AS n FROM consent_state WHERE purpose_id = ? AND theme_key = '' AND state = 'granted'",
      purposeId,
    ),
  ).toBe(expectedGrants);
  expect(
    await count(
      "SELECT count AS n FROM consent_counters WHERE purpose_id = ? AND theme_key = '' AND state = 'granted'",
      purposeId,
    ),
  ).toBe(expectedGrants);
  const hooks = await db.all<{ payload: string }>("SELECT payload FROM outbox WHERE kind = 'webhook'");
  const hookedEvents = hooks
    .map((hook) => JSON.parse(hook.payload) as { type: string; data: { eventId: number; action: string } })
    .filter((hook) => hook.type === 'consent.changed' && hook.data.action === 'grant')
    .map((hook) => hook.data.eventId)
    .sort((a, b) => a - b);
  expect(hookedEvents).toEqual(grants.map((grant) => grant.id));
  const jwks = await receiptJwks();
  const receipts = await db.all<{ token: string; event_id: number }>(
    'SELECT token, event_id FROM consent_receipts ORDER BY event_id',
  );
  expect(receipts.map((receipt) => receipt.event_id)).toEqual(
    expect.arrayContaining(grants.map((grant) => grant.id)),
  );
  for (const receipt of receipts) {
    const verified = await verifyReceiptSignature(receipt.token, jwks);
    expect(verified.ok).toBe(true);
    if (verified.ok)
      expect(await checkReceiptInLedger(db.handle().db, verified.payload)).toEqual({ ok: true });
  }
  expect(await verifyLedger(db.handle())).toMatchObject({ ok: true });
}

describe('CSV import with a consent column', () => {
  it('grants each new customer once, keeps a known withdrawal, and every grant is complete and verifies', async () => {
    const [withdrawn, granted] = await insertCustomers([
      { email: 'withdrawn@example.com', name: 'Withdrawn' },
      { email: 'granted@example.com', name: 'Granted' },
    ]);
    for (const [customer, action] of [
      [withdrawn!, 'withdraw'],
      [granted!, 'grant'],
    ] as const)
      await writeTransaction(
        async (tx) =>
          await recordConsentEvent(tx, {
            customerId: customer.id,
            purposeId,
            action,
            source: 'api',
            evidence: {},
          }),
      );
    const lines = Array.from(
      { length: 40 },
      (_, i) =>
        `new${i}@example.com,New ${i},${i % 2 ? 'de' : 'en'},${i % 4 === 3 ? 'no' : 'yes'},shop form,box ${i}`,
    );
    // Known customers among the new: the first batch takes them as new, the insert leaves them out.
    lines.splice(5, 0, 'withdrawn@example.com,Withdrawn,en,yes,shop form,old box');
    lines.splice(20, 0, 'granted@example.com,Granted,en,yes,shop form,old box');

    const result = await importCsv('consent.csv', lines);
    expect(result).toMatchObject({ processedRows: 42, importedRows: 42, failedRows: 0 });
    expect(result.problems.map((p) => [p.row, p.kind, p.message])).toEqual([
      [7, 'warning', "consent: kept the customer's withdrawn state"],
    ]);
    expect(
      await count(
        "SELECT count(*) AS n FROM consent_state s JOIN customers c ON c.id = s.customer_id WHERE c.email = 'withdrawn@example.com' AND s.state = 'withdrawn'",
      ),
    ).toBe(1);
    // 30 new grants, and the one known grant from before (not granted twice).
    await expectEveryGrantComplete(31);
  });

  it('when the batch of grants cannot be written, grants row by row and says so once in the report', async () => {
    // A trigger gives every new customer a theme-level state, so the batch refuses them (not new).
    if (dialectOf(db.handle().db) === 'postgres') {
      await db.run(
        `CREATE FUNCTION give_theme_state() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
           INSERT INTO consent_state (customer_id, purpose_id, theme_key, state, last_event_id, updated_at)
           VALUES (NEW.id, ${purposeId}, 'recipes', 'pending', 0, 0); RETURN NEW; END; $$`,
      );
      await db.run(
        'CREATE TRIGGER give_theme_state AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION give_theme_state()',
      );
    } else {
      await db.run(
        `CREATE TRIGGER give_theme_state AFTER INSERT ON customers BEGIN
           INSERT INTO consent_state (customer_id, purpose_id, theme_key, state, last_event_id, updated_at)
           VALUES (NEW.id, ${purposeId}, 'recipes', 'pending', 0, 0); END`,
      );
    }
    try {
      const lines = Array.from(
        { length: 12 },
        (_, i) => `late${i}@example.com,Late ${i},en,yes,form,box ${i}`,
      );
      const result = await importCsv('fallback.csv', lines);
      expect(result).toMatchObject({ processedRows: 12, importedRows: 12, failedRows: 0 });
      expect(result.problems.map((p) => [p.row, p.kind, p.field, p.message])).toEqual([
        [
          0,
          'warning',
          'consent',
          'consent grants: written one row at a time after the set-based write failed (a customer already has a consent state for the purpose); slower, but complete',
        ],
      ]);
      await expectEveryGrantComplete(31 + 12);
    } finally {
      await db.run(
        'DROP TRIGGER give_theme_state' + (dialectOf(db.handle().db) === 'postgres' ? ' ON customers' : ''),
      );
    }
  });
});
