import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { insertRows, insertRowsReturningIds, type BulkColumn } from '../bulk-insert';
import { customerIdsAmong } from '../sql-lists';
import {
  consentCounters,
  consentEvents,
  consentEvidence,
  consentState,
  notices,
  outbox,
  purposes,
  themes,
} from '../schema';
import { type ConsentAction, type ConsentSource, type ConsentState } from '@/lib/vocabulary';

export type PurposeRow = typeof purposes.$inferSelect;
export type LedgerEventRow = typeof consentEvents.$inferSelect;

/**
 * The ledger append runs ~8 statements per event and is the hot path of imports, opt-in
 * confirmations and seeds. Measured: building and preparing each statement anew cost ~2 ms per
 * event; prepared once per connection it is a fraction of that. Cached per Db handle.
 */
function buildPrepared(db: Db) {
  const p = sql.placeholder;
  return {
    purposeByKey: db
      .select()
      .from(purposes)
      .where(eq(purposes.key, p('key')))
      .prepare(),
    purposeById: db
      .select()
      .from(purposes)
      .where(eq(purposes.id, p('id')))
      .prepare(),
    lastHash: db
      .select({ hash: consentEvents.hash })
      .from(consentEvents)
      .orderBy(desc(consentEvents.id))
      .limit(1)
      .prepare(),
    readState: db
      .select()
      .from(consentState)
      .where(
        and(
          eq(consentState.customerId, p('customerId')),
          eq(consentState.purposeId, p('purposeId')),
          eq(consentState.themeKey, p('themeKey')),
        ),
      )
      .prepare(),
    insertEvent: db
      .insert(consentEvents)
      .values({
        customerId: p('customerId'),
        purposeId: p('purposeId'),
        themeKey: p('themeKey'),
        action: p('action'),
        stateAfter: p('stateAfter'),
        source: p('source'),
        noticeHash: p('noticeHash'),
        evidenceDigest: p('evidenceDigest'),
        occurredAt: p('occurredAt'),
        prevHash: p('prevHash'),
        hash: p('hash'),
      })
      .returning({ id: consentEvents.id })
      .prepare(),
    insertEvidence: db
      .insert(consentEvidence)
      .values({ eventId: p('eventId'), details: p('details') })
      .prepare(),
    upsertState: db
      .insert(consentState)
      .values({
        customerId: p('customerId'),
        purposeId: p('purposeId'),
        themeKey: p('themeKey'),
        state: p('state'),
        lastEventId: p('lastEventId'),
        noticeHash: p('noticeHash'),
        updatedAt: p('updatedAt'),
      })
      .onConflictDoUpdate({
        target: [consentState.customerId, consentState.purposeId, consentState.themeKey],
        set: {
          state: sql`excluded.state`,
          lastEventId: sql`excluded.last_event_id`,
          noticeHash: sql`excluded.notice_hash`,
          updatedAt: sql`excluded.updated_at`,
        },
      })
      .prepare(),
    bumpCounter: db
      .insert(consentCounters)
      .values({ purposeId: p('purposeId'), themeKey: p('themeKey'), state: p('state'), count: p('delta') })
      .onConflictDoUpdate({
        target: [consentCounters.purposeId, consentCounters.themeKey, consentCounters.state],
        set: { count: sql`${consentCounters.count} + excluded.count` },
      })
      .prepare(),
  };
}
const preparedCache = new WeakMap<Db, ReturnType<typeof buildPrepared>>();

function preparedFor(db: Db) {
  let prepared = preparedCache.get(db);
  if (!prepared) {
    prepared = buildPrepared(db);
    preparedCache.set(db, prepared);
  }
  return prepared;
}

export async function purposeByKey(db: Db, key: string): Promise<PurposeRow | undefined> {
  return await preparedFor(db).purposeByKey.get({ key });
}

export async function purposeById(db: Db, id: number): Promise<PurposeRow | undefined> {
  return await preparedFor(db).purposeById.get({ id });
}

export async function listPurposes(db: Db): Promise<PurposeRow[]> {
  return await db.select().from(purposes).orderBy(asc(purposes.id)).all();
}

export async function themesOfPurposes(db: Db, purposeIds: number[]) {
  if (purposeIds.length === 0) return [];
  return await db
    .select()
    .from(themes)
    .where(inArray(themes.purposeId, purposeIds))
    .orderBy(asc(themes.id))
    .all();
}

/** The newest notice for a purpose in a locale, falling back to English, then to any locale. */
export async function currentNotice(db: Db, purposeId: number, locale: string) {
  const rows = await db
    .select()
    .from(notices)
    .where(eq(notices.purposeId, purposeId))
    .orderBy(desc(notices.version))
    .all();
  const newest = rows[0]?.version;
  const latest = rows.filter((n) => n.version === newest);
  return latest.find((n) => n.locale === locale) ?? latest.find((n) => n.locale === 'en') ?? latest[0];
}

/** Hash of the newest ledger event; the chain's next link starts from it. */
export async function lastLedgerHash(db: Db): Promise<string | undefined> {
  return (await preparedFor(db).lastHash.get())?.hash;
}

export async function insertLedgerEvent(
  db: Db,
  row: {
    customerId: number;
    purposeId: number;
    themeKey: string;
    action: ConsentAction;
    stateAfter: ConsentState;
    source: ConsentSource;
    noticeHash: string | null;
    evidenceDigest: string;
    occurredAt: Date;
    prevHash: string;
    hash: string;
  },
): Promise<number> {
  return (await preparedFor(db).insertEvent.get(row)).id;
}

export type NewLedgerEvent = Parameters<typeof insertLedgerEvent>[1];

const LEDGER_EVENT_COLUMNS: readonly BulkColumn[] = [
  ['customer_id', 'integer'],
  ['purpose_id', 'integer'],
  ['theme_key', 'text'],
  ['action', 'text'],
  ['state_after', 'text'],
  ['source', 'text'],
  ['notice_hash', 'text'],
  ['evidence_digest', 'text'],
  ['occurred_at', 'bigint'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
];

/**
 * insertLedgerEvent for a chain segment (under the ledger lock): the ids, in the order of the
 * events (matched through their hashes, unique since each covers the one before). The chain is
 * read in id order, so the ids must also ascend in that order; anything else throws, rolling
 * the segment back.
 */
export async function insertLedgerEvents(db: Db, rows: readonly NewLedgerEvent[]): Promise<number[]> {
  const ids = await insertRowsReturningIds(
    db,
    'consent_events',
    LEDGER_EVENT_COLUMNS,
    rows.map((row) => [
      row.customerId,
      row.purposeId,
      row.themeKey,
      row.action,
      row.stateAfter,
      row.source,
      row.noticeHash,
      row.evidenceDigest,
      row.occurredAt.getTime(),
      row.prevHash,
      row.hash,
    ]),
    'hash',
  );
  for (const [index, id] of ids.entries())
    if (id === undefined || (index > 0 && id <= ids[index - 1]!))
      throw new Error('insertLedgerEvents: the ids do not follow the chain order');
  return ids;
}

/** insertEvidence for many events (their ids from insertLedgerEvents). */
export async function insertEvidenceOfEvents(
  db: Db,
  rows: readonly { eventId: number; details: Record<string, unknown> }[],
): Promise<void> {
  await insertRows(
    db,
    'consent_evidence',
    [
      ['event_id', 'integer'],
      ['details', 'jsonb'],
    ],
    rows.map((row) => [row.eventId, JSON.stringify(row.details)]),
  );
}

export async function insertEvidence(
  db: Db,
  eventId: number,
  details: Record<string, unknown>,
): Promise<void> {
  await preparedFor(db).insertEvidence.run({ eventId, details });
}

export async function readConsentState(db: Db, customerId: number, purposeId: number, themeKey: string) {
  return await preparedFor(db).readState.get({ customerId, purposeId, themeKey });
}

export async function writeConsentState(
  db: Db,
  row: {
    customerId: number;
    purposeId: number;
    themeKey: string;
    state: ConsentState;
    lastEventId: number;
    noticeHash: string | null;
    updatedAt: Date;
  },
): Promise<void> {
  await preparedFor(db).upsertState.run(row);
}

/**
 * The first consent states of customers who have none for the purpose (writeConsentState upserts;
 * this inserts, so a state that exists after all fails the statement instead of being overwritten).
 */
export async function insertFirstConsentStates(
  db: Db,
  rows: readonly Parameters<typeof writeConsentState>[1][],
): Promise<void> {
  await insertRows(
    db,
    'consent_state',
    [
      ['customer_id', 'integer'],
      ['purpose_id', 'integer'],
      ['theme_key', 'text'],
      ['state', 'text'],
      ['last_event_id', 'integer'],
      ['notice_hash', 'text'],
      ['updated_at', 'bigint'],
    ],
    rows.map((row) => [
      row.customerId,
      row.purposeId,
      row.themeKey,
      row.state,
      row.lastEventId,
      row.noticeHash,
      row.updatedAt.getTime(),
    ]),
  );
}

/** Which of these customers hold a consent state (any theme) for the purpose. */
export async function customersWithConsentStateFor(
  db: Db,
  purposeId: number,
  customerIds: readonly number[],
): Promise<number[]> {
  return await customerIdsAmong(
    db,
    customerIds,
    (list) =>
      `SELECT DISTINCT customer_id FROM consent_state WHERE purpose_id = ? AND customer_id IN ${list}`,
    [purposeId],
  );
}

export async function adjustCounter(
  db: Db,
  purposeId: number,
  themeKey: string,
  state: ConsentState,
  delta: number,
): Promise<void> {
  await preparedFor(db).bumpCounter.run({ purposeId, themeKey, state, delta });
}

/** Cancels mail still waiting in the outbox for a customer and purpose (optionally one theme). */
export async function cancelQueuedMail(
  db: Db,
  filter: { customerId: number; purposeId?: number; themeKey?: string; categories?: string[] },
  reason: string,
): Promise<number> {
  const conditions = [
    eq(outbox.customerId, filter.customerId),
    eq(outbox.kind, 'email'),
    eq(outbox.status, 'queued'),
  ];
  if (filter.purposeId !== undefined) conditions.push(eq(outbox.purposeId, filter.purposeId));
  if (filter.themeKey) conditions.push(eq(outbox.themeKey, filter.themeKey));
  if (filter.categories) conditions.push(inArray(outbox.category, filter.categories));
  return (
    await db
      .update(outbox)
      .set({ status: 'cancelled', cancelReason: reason })
      .where(and(...conditions))
      .run()
  ).changes;
}

/** A page of ledger events in chain order, with their evidence rows. */
export async function ledgerPage(db: Db, afterId: number, limit: number) {
  return await db
    .select({ event: consentEvents, evidence: consentEvidence })
    .from(consentEvents)
    .leftJoin(consentEvidence, eq(consentEvidence.eventId, consentEvents.id))
    .where(gt(consentEvents.id, afterId))
    .orderBy(asc(consentEvents.id))
    .limit(limit)
    .all();
}

export async function consentStatesOf(db: Db, customerId: number) {
  return await db.select().from(consentState).where(eq(consentState.customerId, customerId)).all();
}

/** A customer's ledger with evidence, oldest first. */
export async function consentHistoryOf(db: Db, customerId: number) {
  return await db
    .select({
      event: consentEvents,
      evidence: consentEvidence,
      purposeKey: purposes.key,
      purposeName: purposes.name,
    })
    .from(consentEvents)
    .leftJoin(consentEvidence, eq(consentEvidence.eventId, consentEvents.id))
    .leftJoin(purposes, eq(purposes.id, consentEvents.purposeId))
    .where(eq(consentEvents.customerId, customerId))
    .orderBy(asc(consentEvents.id))
    .all();
}

/** Erasure keeps the chain (digests) but removes what the evidence said (IP, user agent, notes). */
export async function redactEvidenceOf(db: Db, customerId: number, at: Date): Promise<number> {
  const ids = (
    await db
      .select({ id: consentEvents.id })
      .from(consentEvents)
      .where(eq(consentEvents.customerId, customerId))
      .all()
  ).map((r) => r.id);
  if (ids.length === 0) return 0;
  let changed = 0;
  for (let i = 0; i < ids.length; i += 500) {
    changed += (
      await db
        .update(consentEvidence)
        .set({ details: null, redactedAt: at })
        .where(inArray(consentEvidence.eventId, ids.slice(i, i + 500)))
        .run()
    ).changes;
  }
  return changed;
}

export async function latestNoticeVersion(db: Db, purposeId: number): Promise<number> {
  return (
    (
      await db
        .select({ version: notices.version })
        .from(notices)
        .where(eq(notices.purposeId, purposeId))
        .orderBy(desc(notices.version))
        .limit(1)
        .get()
    )?.version ?? 0
  );
}

export async function insertNoticeVersion(
  db: Db,
  row: {
    purposeId: number;
    version: number;
    locale: string;
    text: string;
    textHash: string;
    requiresReconsent: boolean;
    createdBy: number | null;
  },
): Promise<void> {
  await db.insert(notices).values(row).run();
}

/** Customers whose purpose-level consent is currently granted (for asking them again). */
export async function grantedCustomerIds(db: Db, purposeId: number): Promise<number[]> {
  return (
    await db
      .select({ customerId: consentState.customerId })
      .from(consentState)
      .where(
        and(
          eq(consentState.purposeId, purposeId),
          eq(consentState.themeKey, ''),
          eq(consentState.state, 'granted'),
        ),
      )
      .all()
  ).map((r) => r.customerId);
}
