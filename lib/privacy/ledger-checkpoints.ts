import type { Db } from '@/db/client';
import { openDatabase, writeTransaction, type DbHandle } from '@/db/client';
import {
  insertLedgerCheckpoint,
  latestLedgerCheckpoint,
  ledgerPurposesOf,
  readLedgerHead,
  unrecordedRedactions,
} from '@/db/store/ledger-checkpoints';
import { secretKey } from './crypto';
import { recordConsentEvent } from './ledger';
import { signLedgerHead, type SignedLedgerHead } from './ledger-head';

/**
 * Erasure redacts a customer's evidence (its digest stays in the chain) and records that in the
 * chain itself: one 'redact' event per purpose and theme, naming the last event it covers. A verifier then
 * tells a lawful redaction from evidence that was deleted or blanked behind Tarmo's back.
 */
export async function recordRedactionsOf(db: Db, customerId: number, now: Date): Promise<number> {
  const purposes = await ledgerPurposesOf(db, customerId);
  for (const { purposeId, themeKey, lastEventId, events } of purposes) {
    await recordConsentEvent(db, {
      customerId,
      purposeId,
      themeKey,
      action: 'redact',
      source: 'system',
      evidence: { reason: 'erasure (Art. 17)', redactedThroughEventId: lastEventId, redactedEvents: events },
      occurredAt: now,
    });
  }
  return purposes.length;
}

/**
 * Ledgers written before redactions were recorded: their redactions are recorded once, by the
 * first checkpoint (after it, an unrecorded redaction is reported as tampering).
 */
async function recordEarlierRedactions(db: Db, now: Date): Promise<number> {
  const pairs = await unrecordedRedactions(db);
  for (const { customerId, purposeId, themeKey } of pairs) {
    await recordConsentEvent(db, {
      customerId,
      purposeId,
      themeKey,
      action: 'redact',
      source: 'system',
      evidence: { reason: 'redaction made before redactions were recorded in the ledger' },
      occurredAt: now,
    });
  }
  return pairs.length;
}

/**
 * Anchors the chain's current head in a signed checkpoint (the worker does this periodically,
 * `npm run ledger:verify -- --checkpoint` on demand). Runs in a write transaction, so on
 * PostgreSQL it holds the chain lock and the head it signs is the head.
 */
export async function writeLedgerCheckpoint(
  handle: DbHandle = openDatabase(),
  now = new Date(),
): Promise<{ checkpoint: SignedLedgerHead | null; written: boolean }> {
  return await writeTransaction(async (db) => {
    if (!(await latestLedgerCheckpoint(db))) await recordEarlierRedactions(db, now);
    const head = await readLedgerHead(db);
    if (!head) return { checkpoint: null, written: false };
    const checkpoint = { ...head, at: now, signature: signLedgerHead(secretKey('ledger-key'), head) };
    const written = await insertLedgerCheckpoint(db, checkpoint);
    return { checkpoint, written };
  }, handle);
}

/** The current head, signed, for an auditor to keep outside Tarmo (ledger:verify --export-head). */
export async function currentSignedHead(handle: DbHandle = openDatabase()): Promise<SignedLedgerHead | null> {
  const head = await readLedgerHead(handle.db);
  return head ? { ...head, at: new Date(), signature: signLedgerHead(secretKey('ledger-key'), head) } : null;
}
