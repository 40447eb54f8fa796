import type { Db } from '@/db/client';
import {
  dialectOf,
  inTransaction,
  onCommit,
  openDatabase,
  readTransaction,
  sqlRun,
  writeTransaction,
  type DbHandle,
} from '@/db/client';
import { CONSENT_EVENTS_CHANNEL } from '@/db/pg/notify';
import { observeLedgerEvents } from '@/lib/operations/metrics';
import { type ConsentAction, type ConsentSource, type ConsentState } from '@/lib/vocabulary';
import {
  adjustCounter,
  cancelQueuedMail,
  currentNotice,
  insertEvidence,
  insertLedgerEvent,
  lastLedgerHash,
  ledgerPage,
  purposeById,
  purposeByKey,
  readConsentState,
  writeConsentState,
  type LedgerEventRow,
} from '@/db/store/consent';
import { customerById } from '@/db/store/privacy-customers';
import { insertLedgerCheck } from '@/db/store/privacy-ledger-checks';
import { listLedgerCheckpoints } from '@/db/store/ledger-checkpoints';
import { lockWaitingEnrollments, wakeEnrollments, waitKeys } from '@/db/store/wakeups';
import { lockLedgerChain } from '@/db/store/ledger-lock';
import { enqueueWebhookEvent } from '@/lib/webhooks/enqueue';
import { canonicalJson, hmacHex, secretKey, sha256Hex, constantTimeEqualHex } from './crypto';
import { headSignatureValid, type ExpectedHead } from './ledger-head';
import { issueReceipt, issuesReceipt } from './receipts';

export const GENESIS_HASH = '0'.repeat(64);

export type ConsentEventInput = {
  customerId: number;
  purposeKey?: string;
  purposeId?: number;
  /** '' or omitted: the purpose itself. */
  themeKey?: string;
  action: ConsentAction;
  source: ConsentSource;
  /** The notice version (text hash) shown; grants without one record the current notice. */
  noticeHash?: string | null;
  evidence: Record<string, unknown>;
  occurredAt?: Date;
};

export type ConsentEventResult = {
  eventId: number;
  purposeId: number;
  purposeKey: string;
  stateBefore: ConsentState;
  stateAfter: ConsentState;
  /** The consent receipt written with a grant, withdrawal or objection (its id, the URL capability). */
  receiptId: string | null;
};

/** The state an action leads to; restrict and redact are recorded but leave the consent state as it was. */
export function stateAfterAction(action: ConsentAction, before: ConsentState): ConsentState {
  switch (action) {
    case 'request':
      return 'pending';
    case 'grant':
      return 'granted';
    case 'withdraw':
      return 'withdrawn';
    case 'expire':
      return 'expired';
    case 'object':
      return 'objected';
    case 'restrict':
    case 'redact':
      return before;
    default: {
      const unknownAction: never = action;
      throw new Error(`unknown consent action ${String(unknownAction)}`);
    }
  }
}

type ChainFields = Pick<
  LedgerEventRow,
  | 'prevHash'
  | 'customerId'
  | 'purposeId'
  | 'themeKey'
  | 'action'
  | 'stateAfter'
  | 'occurredAt'
  | 'source'
  | 'noticeHash'
  | 'evidenceDigest'
>;

/** HMAC over the previous hash and every field that gives the event its meaning. */
export function chainHash(key: string, e: ChainFields): string {
  return hmacHex(
    key,
    [
      e.prevHash,
      e.customerId,
      e.purposeId,
      e.themeKey,
      e.action,
      e.stateAfter,
      e.occurredAt.getTime(),
      e.source,
      e.noticeHash ?? '',
      e.evidenceDigest,
    ].join('|'),
  );
}

export function evidenceDigest(evidence: Record<string, unknown> | null): string {
  return sha256Hex(canonicalJson(evidence));
}

/**
 * Appends one event to the ledger and, in the same (caller's) transaction, updates the current
 * state, the dashboard counters, wakes journeys waiting for this consent, cancels queued mail on
 * withdrawal/objection, and queues the consent.changed webhook.
 *
 * Counters: a customer starts in the implicit state 'not-asked', which is never counted; the
 * first event only increments its new state. Mission Control derives not-asked per purpose as
 * customers − sum(counted states).
 *
 * Must run inside writeTransaction: reading the last hash and appending are then serialized across
 * every process on the database. On SQLite BEGIN IMMEDIATE does that. On PostgreSQL two READ
 * COMMITTED transactions could read the same head and fork the chain, and the executor's batches
 * do not take the store-wide write lock (`serialized: false`), so the append takes the chain's
 * advisory lock (db/advisory-locks.ts, with the lock order) first (released at COMMIT or ROLLBACK); every statement after it sees the head the
 * previous holder committed. It then NOTIFYs `tarmo_consent_events`, which PostgreSQL delivers at
 * COMMIT only, so the dashboards of every web process hear of committed events and nothing else.
 */
export async function recordConsentEvent(db: Db, input: ConsentEventInput): Promise<ConsentEventResult> {
  const postgres = dialectOf(db) === 'postgres';
  if (postgres) {
    // Outside a transaction the lock would be released after its own statement.
    if (!inTransaction(db)) return await writeTransaction((tx) => recordConsentEvent(tx, input), db);
    // Lock order (db/advisory-locks.ts): the enrollment rows a grant wakes before the chain lock,
    // as an executor batch holds its claimed rows before it appends.
    if (input.action === 'grant') await lockWaitingEnrollments(db, input.customerId);
    await lockLedgerChain(db);
  }
  const purpose =
    input.purposeId !== undefined
      ? await purposeById(db, input.purposeId)
      : await purposeByKey(db, input.purposeKey ?? '');
  if (!purpose) throw new Error(`recordConsentEvent: unknown purpose ${input.purposeKey ?? input.purposeId}`);
  const themeKey = input.themeKey ?? '';
  const occurredAt = input.occurredAt ?? new Date();
  // Stored as JSON; digest exactly what will be read back (Dates become strings, undefined drops).
  const evidence = JSON.parse(JSON.stringify(input.evidence ?? {})) as Record<string, unknown>;
  const before = await readConsentState(db, input.customerId, purpose.id, themeKey);
  const stateBefore: ConsentState = before?.state ?? 'not-asked';
  const stateAfter = stateAfterAction(input.action, stateBefore);

  let noticeHash = input.noticeHash ?? null;
  const needsLocale = (!noticeHash && input.action === 'grant') || issuesReceipt(input.action);
  const locale = needsLocale ? ((await customerById(db, input.customerId))?.locale ?? 'en') : 'en';
  if (!noticeHash && input.action === 'grant') {
    noticeHash = (await currentNotice(db, purpose.id, locale))?.textHash ?? null;
  }

  const fields: ChainFields = {
    prevHash: (await lastLedgerHash(db)) ?? GENESIS_HASH,
    customerId: input.customerId,
    purposeId: purpose.id,
    themeKey,
    action: input.action,
    stateAfter,
    occurredAt,
    source: input.source,
    noticeHash,
    evidenceDigest: evidenceDigest(evidence),
  };
  const hash = chainHash(secretKey('ledger-key'), fields);
  const eventId = await insertLedgerEvent(db, { ...fields, hash });
  await insertEvidence(db, eventId, evidence);
  onCommit(db, `ledger-event:${eventId}`, () => observeLedgerEvents());
  // The person's receipt, signed in the event's own transaction: no receipt without its event.
  const receiptId = await issueReceipt(db, {
    eventId,
    hash,
    customerId: input.customerId,
    customerLocale: locale,
    purpose,
    themeKey,
    action: input.action,
    stateAfter,
    source: input.source,
    noticeHash,
    evidence,
    occurredAt,
  });
  await announceConsentEvent(db, eventId);
  await writeConsentState(db, {
    customerId: input.customerId,
    purposeId: purpose.id,
    themeKey,
    state: stateAfter,
    lastEventId: eventId,
    // restrict and redact keep the state, and with it the notice it was granted under.
    noticeHash: input.action === 'grant' ? noticeHash : (before?.noticeHash ?? noticeHash),
    updatedAt: occurredAt,
  });
  if (stateBefore !== stateAfter) {
    if (stateBefore !== 'not-asked') await adjustCounter(db, purpose.id, themeKey, stateBefore, -1);
    await adjustCounter(db, purpose.id, themeKey, stateAfter, 1);
  }

  if (input.action === 'grant') await wakeEnrollments(db, input.customerId, [waitKeys.consent(purpose.key)]);
  if (input.action === 'withdraw' || input.action === 'object') {
    await cancelQueuedMail(
      db,
      {
        customerId: input.customerId,
        purposeId: purpose.id,
        themeKey: themeKey || undefined,
        categories: ['marketing'],
      },
      `${input.action === 'withdraw' ? 'consent withdrawn' : 'objection'} for ${purpose.key}${themeKey ? `/${themeKey}` : ''}`,
    );
  }
  if (stateBefore !== stateAfter || input.action === 'grant') {
    await enqueueWebhookEvent(
      db,
      'consent.changed',
      {
        customerId: input.customerId,
        purpose: purpose.key,
        theme: themeKey || null,
        action: input.action,
        state: stateAfter,
        previousState: stateBefore,
        eventId,
        occurredAt: occurredAt.toISOString(),
      },
      occurredAt,
    );
  }
  return { eventId, purposeId: purpose.id, purposeKey: purpose.key, stateBefore, stateAfter, receiptId };
}

/**
 * PostgreSQL: tells every process's dashboard feed (LISTEN tarmo_consent_events) that events up to
 * this id were appended; delivered at COMMIT only. A batch announces its newest id once: listeners
 * take the id as a wake-up and read everything after the newest id they have seen.
 */
export async function announceConsentEvent(db: Db, eventId: number): Promise<void> {
  if (dialectOf(db) === 'postgres')
    await sqlRun(db, 'SELECT pg_notify(?, ?)', [CONSENT_EVENTS_CHANNEL, String(eventId)]);
}

/** Async wrapper: one event in its own write transaction. */
export async function recordConsent(input: ConsentEventInput): Promise<ConsentEventResult> {
  return await writeTransaction(async (db) => await recordConsentEvent(db, input));
}

export type LedgerVerification = {
  ok: boolean;
  checked: number;
  firstBrokenEventId?: number;
  message: string;
  /** Signed checkpoints the chain was checked against. */
  checkpoints?: number;
};

export type LedgerCheckOptions = {
  /** A head kept outside Tarmo (ledger:verify --expect-head): the chain must still contain it. */
  expectHead?: ExpectedHead;
};

/**
 * Walks the chain from the first event: each event must link to its predecessor's hash, its own
 * hash must match its fields under the ledger key, and its evidence must exist and match its
 * digest, unless it was redacted and a later 'redact' event of the same customer and purpose
 * records that redaction. Every signed checkpoint (and an expected head, if given) must still be
 * in the chain at its position: removing the newest events or rewriting history is detected.
 * Read-only; verifyLedger records the outcome.
 */
export async function checkLedgerChain(
  db: Db,
  options: LedgerCheckOptions = {},
): Promise<LedgerVerification> {
  const key = secretKey('ledger-key');
  const checkpoints = await listLedgerCheckpoints(db);
  const anchors = new Map<number, { headEventId?: number; headHash: string; label: string }>();
  for (const checkpoint of checkpoints) {
    const label = `the signed checkpoint of ${checkpoint.at.toISOString()}`;
    if (!headSignatureValid(key, checkpoint))
      return broken(
        0,
        checkpoint.headEventId,
        `${label} (${checkpoint.eventCount} events) has an invalid signature`,
      );
    anchors.set(checkpoint.eventCount, { ...checkpoint, label });
  }
  const expected = options.expectHead;
  let prevHash = GENESIS_HASH;
  let afterId = 0;
  let checked = 0;
  let sawRedaction = false;
  // customer|purpose -> first event whose evidence is redacted with no 'redact' event after it yet
  const unrecordedRedactions = new Map<string, number>();
  for (;;) {
    const page = await ledgerPage(db, afterId, 2000);
    if (page.length === 0) break;
    for (const { event, evidence } of page) {
      checked++;
      afterId = event.id;
      const pair = `${event.customerId}|${event.purposeId}`;
      const anchor = anchors.get(checked);
      const problem =
        event.prevHash !== prevHash
          ? 'does not link to the previous event'
          : !constantTimeEqualHex(chainHash(key, event), event.hash)
            ? 'hash does not match its contents'
            : !evidence
              ? 'has no evidence (deleted)'
              : evidence.redactedAt == null &&
                  evidenceDigest(evidence.details ?? null) !== event.evidenceDigest
                ? 'evidence does not match its digest'
                : anchor && (anchor.headHash !== event.hash || (anchor.headEventId ?? event.id) !== event.id)
                  ? `is not the head that ${anchor.label} anchored`
                  : expected && expected.eventCount === checked && !headMatches(expected, event)
                    ? 'is not the head that was kept outside Tarmo'
                    : null;
      if (problem) return broken(checked, event.id, `event ${event.id} ${problem}`);
      if (evidence?.redactedAt != null && !unrecordedRedactions.has(pair))
        unrecordedRedactions.set(pair, event.id);
      if (event.action === 'redact') {
        sawRedaction = true;
        unrecordedRedactions.delete(pair);
      }
      prevHash = event.hash;
    }
  }
  const missingAnchor = checkpoints.find((c) => c.eventCount > checked);
  if (missingAnchor)
    return broken(
      checked,
      missingAnchor.headEventId,
      `the ledger holds ${checked} events but the signed checkpoint of ${missingAnchor.at.toISOString()} anchored ${missingAnchor.eventCount}: events were removed`,
    );
  if (expected && expected.eventCount > checked)
    return broken(
      checked,
      expected.headEventId ?? afterId,
      `the ledger holds ${checked} events but the head kept outside Tarmo has ${expected.eventCount}: events were removed`,
    );
  // Before the first checkpoint or recorded redaction, a redaction may predate this rule (it is
  // recorded then, see ledger-checkpoints.ts); after that, unrecorded means tampered.
  const strict = checkpoints.length > 0 || sawRedaction;
  if (strict && unrecordedRedactions.size > 0) {
    const first = Math.min(...unrecordedRedactions.values());
    return broken(checked, first, `event ${first} evidence was removed without a recorded redaction`);
  }
  return {
    ok: true,
    checked,
    ...(checkpoints.length ? { checkpoints: checkpoints.length } : {}),
    message: `${checked} events verified${checkpoints.length ? `, ${checkpoints.length} signed checkpoints match` : ''}${expected ? ', the kept head matches' : ''}`,
  };
}

function headMatches(expected: ExpectedHead, event: { id: number; hash: string }): boolean {
  return (
    constantTimeEqualHex(expected.headHash, event.hash) &&
    (expected.headEventId === undefined || expected.headEventId === event.id)
  );
}

function broken(checked: number, firstBrokenEventId: number, message: string): LedgerVerification {
  return { ok: false, checked, firstBrokenEventId, message };
}

/**
 * Verifies the whole chain inside one read transaction (a consistent snapshot that does not block
 * writers), then writes a ledger_checks row.
 */
export async function verifyLedger(
  handle: DbHandle = openDatabase(),
  options: LedgerCheckOptions = {},
): Promise<LedgerVerification> {
  const result = await readTransaction((db) => checkLedgerChain(db, options), handle);
  await insertLedgerCheck(handle.db, {
    ok: result.ok,
    checkedCount: result.checked,
    firstBrokenEventId: result.firstBrokenEventId ?? null,
    message: result.message,
  });
  return result;
}
