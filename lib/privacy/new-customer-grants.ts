import { inTransaction, onCommit, writeTransaction, type Db } from '@/db/client';
import {
  adjustCounter,
  currentNotice,
  customersWithConsentStateFor,
  insertEvidenceOfEvents,
  insertFirstConsentStates,
  insertLedgerEvents,
  lastLedgerHash,
  purposeById,
  type NewLedgerEvent,
} from '@/db/store/consent';
import { lockLedgerChain } from '@/db/store/ledger-lock';
import { customerLocales } from '@/db/store/privacy-customers';
import { customersWithWaitingEnrollments } from '@/db/store/wakeups';
import { observeLedgerEvents } from '@/lib/operations/metrics';
import type { ConsentSource } from '@/lib/vocabulary';
import { enqueueWebhookEvents } from '@/lib/webhooks/enqueue';
import { secretKey } from './crypto';
import { announceConsentEvent, chainHash, evidenceDigest, GENESIS_HASH } from './ledger';
import { issueReceipts } from './receipts';

export type NewCustomerGrant = { customerId: number; evidence: Record<string, unknown> };

export type NewCustomerGrantsResult =
  { ok: true; events: { eventId: number; receiptId: string | null }[] } | { ok: false; reason: string };

/**
 * The consent grants of customers created in the caller's transaction (a CSV import's new rows),
 * appended as one chain segment. recordConsentEvent costs some fifteen round trips per event;
 * here each step runs once for the whole batch and writes what recordConsentEvent would have
 * written for each grant in turn: the ledger events (chained from the head, read once under the
 * chain lock), their evidence, a signed receipt each, a 'granted' state each, the counter moved
 * once by the batch's size, a consent.changed webhook each, one NOTIFY and one metric.
 *
 * That holds only for customers without any consent state for the purpose and without waiting
 * enrollments (nothing to read, wake or cancel): checked set-based first; otherwise nothing is
 * written and the answer says why, and the caller records the grants one by one.
 */
export async function recordNewCustomerGrants(
  db: Db,
  input: { purposeId: number; source: ConsentSource; grants: readonly NewCustomerGrant[]; occurredAt?: Date },
): Promise<NewCustomerGrantsResult> {
  // One transaction: the chain lock holds until COMMIT, and the batch is all or nothing.
  if (!inTransaction(db)) return await writeTransaction((tx) => recordNewCustomerGrants(tx, input), db);
  if (input.grants.length === 0) return { ok: true, events: [] };
  const purpose = await purposeById(db, input.purposeId);
  if (!purpose) throw new Error(`recordNewCustomerGrants: unknown purpose ${input.purposeId}`);
  const customerIds = input.grants.map((grant) => grant.customerId);
  const locales = await customerLocales(db, customerIds);
  const notNew = await whyNotNew(db, purpose.id, customerIds, locales);
  if (notNew) return { ok: false, reason: notNew };

  await lockLedgerChain(db);
  const occurredAt = input.occurredAt ?? new Date();
  const noticeHashOf = await currentNoticeHashes(db, purpose.id, new Set(locales.values()));
  const key = secretKey('ledger-key');
  let prevHash = (await lastLedgerHash(db)) ?? GENESIS_HASH;
  const chained = input.grants.map((grant) => {
    // Stored as JSON; digest exactly what will be read back (as recordConsentEvent does).
    const evidence = JSON.parse(JSON.stringify(grant.evidence)) as Record<string, unknown>;
    const locale = locales.get(grant.customerId)!;
    const fields: Omit<NewLedgerEvent, 'hash'> = {
      prevHash,
      customerId: grant.customerId,
      purposeId: purpose.id,
      themeKey: '',
      action: 'grant',
      stateAfter: 'granted',
      occurredAt,
      source: input.source,
      noticeHash: noticeHashOf.get(locale) ?? null,
      evidenceDigest: evidenceDigest(evidence),
    };
    const event = { ...fields, hash: chainHash(key, fields) };
    prevHash = event.hash;
    return { event, evidence, locale };
  });

  const eventIds = await insertLedgerEvents(
    db,
    chained.map(({ event }) => event),
  );
  const appended = chained.map((entry, index) => ({ ...entry, eventId: eventIds[index]! }));
  await insertEvidenceOfEvents(
    db,
    appended.map(({ eventId, evidence }) => ({ eventId, details: evidence })),
  );
  onCommit(db, `ledger-events:${eventIds[0]}`, () => observeLedgerEvents(eventIds.length));
  const receiptIds = await issueReceipts(
    db,
    appended.map(({ event, eventId, evidence, locale }) => ({
      ...event,
      eventId,
      customerLocale: locale,
      purpose,
      evidence,
    })),
  );
  // Listeners poll from the newest id they have seen: the batch's newest id wakes them once.
  await announceConsentEvent(db, eventIds[eventIds.length - 1]!);
  await insertFirstConsentStates(
    db,
    appended.map(({ event, eventId }) => ({
      customerId: event.customerId,
      purposeId: purpose.id,
      themeKey: '',
      state: 'granted',
      lastEventId: eventId,
      noticeHash: event.noticeHash,
      updatedAt: occurredAt,
    })),
  );
  await adjustCounter(db, purpose.id, '', 'granted', appended.length);
  await enqueueWebhookEvents(
    db,
    'consent.changed',
    appended.map(({ event, eventId }) => ({
      customerId: event.customerId,
      purpose: purpose.key,
      theme: null,
      action: 'grant',
      state: 'granted',
      previousState: 'not-asked',
      eventId,
      occurredAt: occurredAt.toISOString(),
    })),
    occurredAt,
  );
  return {
    ok: true,
    events: appended.map(({ eventId }, index) => ({ eventId, receiptId: receiptIds[index] ?? null })),
  };
}

/** Why these customers cannot take the batch (undefined when they can): cheap, set-based reads. */
async function whyNotNew(
  db: Db,
  purposeId: number,
  customerIds: readonly number[],
  locales: ReadonlyMap<number, string>,
): Promise<string | undefined> {
  if (new Set(customerIds).size !== customerIds.length) return 'a customer appears twice';
  if (customerIds.some((id) => !locales.has(id))) return 'a customer does not exist';
  if ((await customersWithConsentStateFor(db, purposeId, customerIds)).length > 0)
    return 'a customer already has a consent state for the purpose';
  // A grant wakes enrollments waiting for it, and locks them before the chain (db/advisory-locks.ts).
  if ((await customersWithWaitingEnrollments(db, customerIds)).length > 0)
    return 'a customer has a waiting enrollment';
  return undefined;
}

/** The text hash of the purpose's current notice per locale (recordConsentEvent reads it per grant). */
async function currentNoticeHashes(
  db: Db,
  purposeId: number,
  locales: ReadonlySet<string>,
): Promise<Map<string, string | null>> {
  const hashes = new Map<string, string | null>();
  for (const locale of locales)
    hashes.set(locale, (await currentNotice(db, purposeId, locale))?.textHash ?? null);
  return hashes;
}
