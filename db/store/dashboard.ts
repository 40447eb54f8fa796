import { asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { getDb, queryAll, queryGet, type Db } from '../client';
import {
  changeVersions,
  consentCounters,
  consentEvents,
  customerStatusCounts,
  ledgerChecks,
  notices,
  privacyRequests,
  purposes,
  themes,
} from '../schema';
import {
  type ConsentAction,
  type ConsentSource,
  type ConsentState,
  type LegalBasis,
  type Recipient,
} from '@/lib/vocabulary';

/**
 * Mission Control's reads. Everything the live summary needs is an index probe or a read of a
 * small counter table (consent_counters, customer_status_counts); the heavier period queries
 * (funnel, chart, retention) are bounded by the time index and cached by the caller.
 */

// ---------------------------------------------------------------- purposes (small tables)

export type PurposeInfo = {
  id: number;
  key: string;
  name: string;
  description: string;
  legalBasis: LegalBasis;
  retentionDays: number;
  retentionDuty: string | null;
  recipients: Recipient[];
  noticeVersion: number | null;
  themes: { key: string; name: string }[];
};

export async function listPurposeInfo(db: Db = getDb()): Promise<PurposeInfo[]> {
  const rows = await db
    .select()
    .from(purposes)
    .where(sql`${purposes.archivedAt} is null`)
    .orderBy(asc(purposes.id))
    .all();
  const themeRows = await db.select().from(themes).orderBy(asc(themes.id)).all();
  const versions = await db
    .select({ purposeId: notices.purposeId, version: sql<number>`max(${notices.version})` })
    .from(notices)
    .groupBy(notices.purposeId)
    .all();
  const versionOf = new Map(versions.map((v) => [v.purposeId, v.version]));
  return rows.map((p) => ({
    id: p.id,
    key: p.key,
    name: p.name,
    description: p.description,
    legalBasis: p.legalBasis,
    retentionDays: p.retentionDays,
    retentionDuty: p.retentionDuty,
    recipients: p.recipients,
    noticeVersion: versionOf.get(p.id) ?? null,
    themes: themeRows.filter((t) => t.purposeId === p.id).map((t) => ({ key: t.key, name: t.name })),
  }));
}

/**
 * Each active purpose's description (in every language) and current notice texts, by key: the
 * words its record of processing rests on ('' when it has none).
 */
export async function listPurposeRecordTexts(db: Db = getDb()): Promise<Map<string, string>> {
  const rows = await db
    .select({
      id: purposes.id,
      key: purposes.key,
      description: purposes.description,
      translations: purposes.translations,
    })
    .from(purposes)
    .where(sql`${purposes.archivedAt} is null`)
    .all();
  const current = await db
    .select({ purposeId: notices.purposeId, text: notices.text })
    .from(notices)
    .where(
      sql`${notices.version} = (select max(m.version) from notices m where m.purpose_id = ${notices.purposeId})`,
    )
    .all();
  return new Map(
    rows.map((p) => [
      p.key,
      [
        p.description,
        ...Object.values(p.translations).map((t) => t?.description ?? ''),
        ...current.filter((n) => n.purposeId === p.id).map((n) => n.text),
      ]
        .map((text) => text.trim())
        .filter(Boolean)
        .join('\n'),
    ]),
  );
}

// ---------------------------------------------------------------- counters

export type CounterRow = { purposeId: number; themeKey: string; state: ConsentState; count: number };

export async function readConsentCounters(db: Db = getDb()): Promise<CounterRow[]> {
  return await db.select().from(consentCounters).all();
}

export async function countCustomersByStatus(db: Db = getDb()): Promise<Record<string, number>> {
  const rows = await db.select().from(customerStatusCounts).all();
  return Object.fromEntries(rows.map((r) => [r.status, r.count]));
}

/**
 * A recount of the current states straight from the ledger (last event per customer, purpose
 * and theme). A scan — for tests and audits only, never for the dashboard.
 */
export async function recountStatesFromLedger(db: Db = getDb()): Promise<CounterRow[]> {
  return await queryAll<CounterRow>(
    db,
    sql`
    select e.purpose_id as "purposeId", e.theme_key as "themeKey", e.state_after as state, count(*) as count
    from consent_events e
    join (select max(id) as id from consent_events group by customer_id, purpose_id, theme_key) last on last.id = e.id
    group by e.purpose_id, e.theme_key, e.state_after`,
  );
}

// ---------------------------------------------------------------- blocks

/** Bumped by triggers on every change to contact_blocks: a cache key for the aggregates below. */
export async function contactBlocksVersion(db: Db = getDb()): Promise<number> {
  return (
    (
      await db
        .select({ version: changeVersions.version })
        .from(changeVersions)
        .where(eq(changeVersions.name, 'contact_blocks'))
        .get()
    )?.version ?? 0
  );
}

export type BlockGroup = { scope: string; reason: string; count: number };

export async function countActiveBlocksByScopeAndReason(db: Db = getDb()): Promise<BlockGroup[]> {
  return await queryAll<BlockGroup>(
    db,
    sql`
    select scope, reason, count(*) as count from contact_blocks
    where lifted_at is null group by scope, reason order by scope, reason`,
  );
}

/**
 * Distinct people blocked from e-mail marketing: '' = blocked for every purpose (scope all,
 * address, or the email channel); a theme key = those plus the theme's own blocks.
 */
export async function countBlockedByTheme(db: Db = getDb()): Promise<Map<string, number>> {
  const rows = await queryAll<{ themeKey: string; count: number }>(
    db,
    sql`
    with active as (
      select coalesce('c' || customer_id, 'a' || address) as who, scope, channel, theme_key
      from contact_blocks where lifted_at is null
    ), global as (
      select who from active where scope in ('all', 'address') or (scope = 'channel' and channel = 'email')
    )
    select '' as "themeKey", count(distinct who) as count from global
    union all
    select t.theme_key as "themeKey", count(distinct t.who) as count from (
      select a.theme_key, a.who from active a where a.scope = 'theme'
      union
      select k.theme_key, g.who from (select distinct theme_key from active where scope = 'theme') k, global g
    ) t group by t.theme_key`,
  );
  return new Map(rows.map((r) => [r.themeKey, r.count]));
}

// ---------------------------------------------------------------- privacy requests

export const OPEN_REQUEST_STATUSES = ['unverified', 'open', 'in-progress'] as const;

export type OpenPrivacyRequest = {
  id: number;
  kind: string;
  status: string;
  source: string;
  customerId: number | null;
  receivedAt: Date;
  dueAt: Date;
};

/** Open requests, earliest deadline first (so overdue ones lead); uses the (status, due_at) index. */
export async function listOpenPrivacyRequests(limit = 20, db: Db = getDb()): Promise<OpenPrivacyRequest[]> {
  return await db
    .select({
      id: privacyRequests.id,
      kind: privacyRequests.kind,
      status: privacyRequests.status,
      source: privacyRequests.source,
      customerId: privacyRequests.customerId,
      receivedAt: privacyRequests.receivedAt,
      dueAt: privacyRequests.dueAt,
    })
    .from(privacyRequests)
    .where(inArray(privacyRequests.status, [...OPEN_REQUEST_STATUSES]))
    .orderBy(asc(privacyRequests.dueAt), asc(privacyRequests.id))
    .limit(limit)
    .all();
}

export async function countOpenPrivacyRequests(
  now: Date,
  db: Db = getDb(),
): Promise<{ open: number; overdue: number }> {
  const row = await db
    .select({
      open: sql<number>`count(*)`,
      overdue: sql<number>`coalesce(sum(case when ${privacyRequests.dueAt} < ${now.getTime()} then 1 else 0 end), 0)`,
    })
    .from(privacyRequests)
    .where(inArray(privacyRequests.status, [...OPEN_REQUEST_STATUSES]))
    .get();
  return { open: row?.open ?? 0, overdue: row?.overdue ?? 0 };
}

// ---------------------------------------------------------------- ledger

export type LedgerCheckRow = typeof ledgerChecks.$inferSelect;

export async function latestLedgerCheck(db: Db = getDb()): Promise<LedgerCheckRow | undefined> {
  return await db.select().from(ledgerChecks).orderBy(desc(ledgerChecks.id)).limit(1).get();
}

/** The newest ledger event id: max(rowid) is one b-tree descent, cheap enough to poll 4×/s. */
export async function latestConsentEventId(db: Db = getDb()): Promise<number> {
  return (
    (
      await db
        .select({ id: sql<number | null>`max(${consentEvents.id})` })
        .from(consentEvents)
        .get()
    )?.id ?? 0
  );
}

export type LedgerFeedEvent = {
  id: number;
  purposeKey: string;
  themeKey: string;
  action: ConsentAction;
  state: ConsentState;
  source: ConsentSource;
  occurredAt: Date;
};

/** New ledger events for the live stream: no customer id, no evidence (no personal data). */
export async function consentEventsAfter(
  afterId: number,
  limit = 200,
  db: Db = getDb(),
): Promise<LedgerFeedEvent[]> {
  return await db
    .select({
      id: consentEvents.id,
      purposeKey: purposes.key,
      themeKey: consentEvents.themeKey,
      action: consentEvents.action,
      state: consentEvents.stateAfter,
      source: consentEvents.source,
      occurredAt: consentEvents.occurredAt,
    })
    .from(consentEvents)
    .innerJoin(purposes, eq(purposes.id, consentEvents.purposeId))
    .where(gt(consentEvents.id, afterId))
    .orderBy(asc(consentEvents.id))
    .limit(limit)
    .all();
}

/**
 * Changes outside the ledger that the summary shows (privacy requests, blocks, ledger checks).
 * Small tables; the stream compares this string every couple of seconds.
 */
export async function dashboardFingerprint(db: Db = getDb()): Promise<string> {
  const row = await queryGet<{ r: string }>(
    db,
    sql`
    select (select coalesce(max(id), 0) || ':' || count(*) from privacy_requests where status in ('unverified','open','in-progress'))
      || '|' || (select coalesce(max(id), 0) from ledger_checks)
      || '|' || (select coalesce(max(version), 0) from change_versions where name = 'contact_blocks') as r`,
  );
  return row?.r ?? '';
}

// ---------------------------------------------------------------- period insights
