import { beforeAll, describe, expect, it } from 'vitest';
import { isPostgresMode, useTempDatabase } from '@/tests/helpers/db';
import { seedPrivacyFixtures } from '@/tests/fixtures/privacy';
import { checkLedgerChain, recordConsent, verifyLedger } from './ledger';
import { currentSignedHead, writeLedgerCheckpoint } from './ledger-checkpoints';
import { exportLedgerHead, parseExpectedHead } from './ledger-head';
import { eraseCustomer } from './forget';

const db = useTempDatabase();
let people: { id: number }[] = [];
beforeAll(async () => {
  people = (await seedPrivacyFixtures(12)).customers;
});
let nextPerson = 0;
/** Fresh customers for each test (tables are emptied between tests, customers stay). */
function customersFor(n: number): { id: number }[] {
  nextPerson += n;
  return people.slice(nextPerson - n, nextPerson);
}

async function dropLedgerGuards(): Promise<void> {
  for (const name of ['consent_events_no_update', 'consent_events_no_delete'])
    await db.run(
      isPostgresMode()
        ? `DROP TRIGGER IF EXISTS ${name} ON consent_events`
        : `DROP TRIGGER IF EXISTS ${name}`,
    );
}

async function restoreDatabase(): Promise<void> {
  // Each test builds its own ledger; tampering tests drop the guards, so start from empty tables.
  await dropLedgerGuards();
  for (const table of [
    'ledger_checkpoints',
    'consent_evidence',
    'consent_events',
    'consent_state',
    'consent_counters',
  ])
    await db.run(`DELETE FROM ${table}`);
}

async function someEvents(customerId: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await recordConsent({
      customerId,
      purposeKey: 'newsletter',
      action: i % 2 ? 'withdraw' : 'grant',
      source: 'api',
      evidence: { note: `event ${i}`, ip: '10.1.2.0' },
    });
}

describe('ledger completeness: checkpoints, kept heads and recorded redactions', () => {
  it('detects the newest events cut off after a signed checkpoint', async () => {
    const customers = customersFor(3);
    await someEvents(customers[0].id, 5);
    const { checkpoint, written } = await writeLedgerCheckpoint();
    expect(written).toBe(true);
    expect(checkpoint).toMatchObject({ eventCount: 5 });
    expect(await verifyLedger()).toMatchObject({ ok: true, checked: 5, checkpoints: 1 });

    await dropLedgerGuards();
    const newest = await db.all<{ id: number }>('SELECT id FROM consent_events ORDER BY id DESC LIMIT 2');
    for (const { id } of newest) {
      await db.run('DELETE FROM consent_evidence WHERE event_id = ?', id);
      await db.run('DELETE FROM consent_events WHERE id = ?', id);
    }
    // The remaining chain links perfectly; only the checkpoint shows what is missing.
    const result = await verifyLedger();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(
      /holds 3 events but the signed checkpoint .* anchored 5: events were removed/,
    );
  });

  it('detects a checkpoint whose signature was forged or that points at a rewritten head', async () => {
    await restoreDatabase();
    const [customer] = customersFor(1);
    await someEvents(customer.id, 3);
    await writeLedgerCheckpoint();
    await db.run('UPDATE ledger_checkpoints SET head_hash = ? WHERE event_count = 3', 'f'.repeat(64));
    expect((await verifyLedger()).message).toMatch(/invalid signature/);
  });

  it('detects deleted evidence and evidence blanked without a recorded redaction', async () => {
    await restoreDatabase();
    const customers = customersFor(2);
    await someEvents(customers[0].id, 3);
    await someEvents(customers[1].id, 3);
    await writeLedgerCheckpoint();
    const victim = await db.get<{ id: number }>(
      'SELECT id FROM consent_events WHERE customer_id = ? ORDER BY id LIMIT 1',
      customers[1].id,
    );
    await db.run('DELETE FROM consent_evidence WHERE event_id = ?', victim!.id);
    expect(await verifyLedger()).toMatchObject({ ok: false, firstBrokenEventId: victim!.id });
    expect((await verifyLedger()).message).toMatch(/has no evidence/);

    await db.run(
      'INSERT INTO consent_evidence (event_id, details, redacted_at) VALUES (?, NULL, ?)',
      victim!.id,
      Date.now(),
    );
    const blanked = await verifyLedger();
    expect(blanked).toMatchObject({ ok: false, firstBrokenEventId: victim!.id });
    expect(blanked.message).toMatch(/without a recorded redaction/);
  });

  it('an erasure redacts evidence and records the redaction, and the chain still verifies', async () => {
    await restoreDatabase();
    const customers = customersFor(2);
    await someEvents(customers[0].id, 4);
    await writeLedgerCheckpoint();
    const erased = await eraseCustomer(customers[0].id, { source: 'staff' });
    expect(erased.ok).toBe(true);
    const redactions = await db.all<{ action: string; evidence: string }>(
      "SELECT e.action, v.details AS evidence FROM consent_events e JOIN consent_evidence v ON v.event_id = e.id WHERE e.customer_id = ? AND e.action = 'redact'",
      customers[0].id,
    );
    expect(redactions).toHaveLength(1);
    expect(JSON.parse(String(redactions[0]!.evidence))).toMatchObject({ redactedEvents: 4 });
    // No address, IP or note is left in the redacted evidence.
    const left = await db.all<{ details: string | null }>(
      "SELECT v.details FROM consent_evidence v JOIN consent_events e ON e.id = v.event_id WHERE e.customer_id = ? AND e.action <> 'redact'",
      customers[0].id,
    );
    expect(left.every((row) => row.details === null)).toBe(true);
    expect(await verifyLedger()).toMatchObject({ ok: true, checked: 5 });
  });

  it('a ledger redacted before redactions were recorded verifies, and its first checkpoint records them', async () => {
    await restoreDatabase();
    const customers = customersFor(2);
    await someEvents(customers[0].id, 2);
    await someEvents(customers[1].id, 2);
    // What an erasure did before this version: blank the evidence, nothing in the chain.
    await db.run(
      'UPDATE consent_evidence SET details = NULL, redacted_at = ? WHERE event_id IN (SELECT id FROM consent_events WHERE customer_id = ?)',
      Date.now(),
      customers[0].id,
    );
    expect(await verifyLedger()).toMatchObject({ ok: true, checked: 4 });
    await writeLedgerCheckpoint();
    const recorded = await db.get<{ n: number }>(
      "SELECT count(*) AS n FROM consent_events WHERE action = 'redact' AND customer_id = ?",
      customers[0].id,
    );
    expect(Number(recorded!.n)).toBe(1);
    expect(await verifyLedger()).toMatchObject({ ok: true, checked: 5, checkpoints: 1 });
  });

  it('checks the chain against a head kept outside Tarmo, even with every checkpoint deleted', async () => {
    await restoreDatabase();
    const [customer] = customersFor(1);
    await someEvents(customer.id, 4);
    const head = (await currentSignedHead())!;
    const kept = parseExpectedHead(exportLedgerHead(head))!;
    expect(kept).toMatchObject({ eventCount: 4, headHash: head.headHash });
    expect(parseExpectedHead(`4:${head.headHash}`)).toMatchObject({ eventCount: 4 });
    expect(parseExpectedHead('four:abc')).toBeNull();

    await someEvents(customer.id, 2);
    const handle = db.handle();
    expect(await checkLedgerChain(handle.db, { expectHead: kept })).toMatchObject({ ok: true, checked: 6 });

    // Someone rewrites the whole tail and its checkpoints: only the kept head still knows.
    await writeLedgerCheckpoint();
    await dropLedgerGuards();
    const tail = await db.all<{ id: number }>('SELECT id FROM consent_events ORDER BY id DESC LIMIT 3');
    for (const { id } of tail) {
      await db.run('DELETE FROM consent_evidence WHERE event_id = ?', id);
      await db.run('DELETE FROM consent_events WHERE id = ?', id);
    }
    await db.run('DELETE FROM ledger_checkpoints');
    expect(await checkLedgerChain(handle.db)).toMatchObject({ ok: true, checked: 3 });
    const result = await checkLedgerChain(handle.db, { expectHead: kept });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/holds 3 events but the head kept outside Tarmo has 4/);
  });
});
