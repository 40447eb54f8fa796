import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
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
  CONSENT_STATES,
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

export type PeriodFilter = { from: Date; to: Date; purposeId?: number; themeKey?: string };

function periodWhere(filter: PeriodFilter, alias = 'e'): SQL {
  const parts: SQL[] = [sql.raw(`${alias}.occurred_at >= `), sql`${filter.from.getTime()}`];
  parts.push(sql.raw(` and ${alias}.occurred_at < `), sql`${filter.to.getTime()}`);
  if (filter.purposeId !== undefined)
    parts.push(sql.raw(` and ${alias}.purpose_id = `), sql`${filter.purposeId}`);
  if (filter.themeKey !== undefined)
    parts.push(sql.raw(` and ${alias}.theme_key = `), sql`${filter.themeKey}`);
  return sql.join(parts, sql.raw(''));
}

export type DailyChange = { day: number; action: ConsentAction; count: number };

/** Ledger events per UTC day and action in the period (range scan on the time index). */
export async function consentChangesByDay(filter: PeriodFilter, db: Db = getDb()): Promise<DailyChange[]> {
  return await queryAll<DailyChange>(
    db,
    sql`
    select (e.occurred_at / 86400000) * 86400000 as day, e.action as action, count(*) as count
    from consent_events e where ${periodWhere(filter)}
    group by day, e.action order by day`,
  );
}

export type OptinRequestOutcome = {
  customerId: number;
  purposeId: number;
  requestId: number;
  requestedAt: number;
  nextAction: ConsentAction | null;
  nextAt: number | null;
};

/**
 * Each opt-in request in the period with the event that followed it for the same customer,
 * purpose and theme (found through the (customer, purpose) index), so the funnel can tell
 * confirmed from still pending or expired.
 */
export async function optinRequestOutcomes(
  filter: PeriodFilter,
  db: Db = getDb(),
): Promise<OptinRequestOutcome[]> {
  return await queryAll<OptinRequestOutcome>(
    db,
    sql`
    select e.customer_id as "customerId", e.purpose_id as "purposeId", e.id as "requestId",
      e.occurred_at as "requestedAt", n.action as "nextAction", n.occurred_at as "nextAt"
    from consent_events e
    left join consent_events n on n.id = (
      select x.id from consent_events x
      where x.customer_id = e.customer_id and x.purpose_id = e.purpose_id and x.theme_key = e.theme_key and x.id > e.id
      order by x.id limit 1)
    where e.action = 'request' and ${periodWhere(filter)}`,
  );
}

/**
 * "Past retention": the purpose's data is no longer covered — the current state is not a grant
 * (withdrawn, expired, objected, pending or never asked) and nothing happened for the purpose
 * for longer than its retention period.
 */
function pastRetentionWhere(now: Date): SQL {
  return sql`cs.theme_key = '' and cs.state <> 'granted'
    and cs.updated_at < ${now.getTime()} - CAST(p.retention_days AS BIGINT) * 86400000`;
}

export async function countPastRetentionByPurpose(now: Date, db: Db = getDb()): Promise<Map<number, number>> {
  const rows = await queryAll<{ purposeId: number; count: number }>(
    db,
    sql`
    select cs.purpose_id as "purposeId", count(*) as count
    from consent_state cs join purposes p on p.id = cs.purpose_id
    where ${pastRetentionWhere(now)} group by cs.purpose_id`,
  );
  return new Map(rows.map((r) => [r.purposeId, r.count]));
}

export type WaitingForUnasked = { purposeKey: string; journeyId: number; journeyName: string; count: number };

/**
 * Customers parked in a journey on 'consent:<purpose>' although nobody ever asked them for
 * that consent: they will wait until the gate times out unless someone sends an opt-in.
 */
export async function countWaitingForUnaskedConsent(db: Db = getDb()): Promise<WaitingForUnasked[]> {
  return await queryAll<WaitingForUnasked>(
    db,
    sql`
    select p.key as "purposeKey", e.journey_id as "journeyId", j.name as "journeyName", count(*) as count
    from enrollments e
    join purposes p on p.key = substr(e.wait_key, 9)
    join journeys j on j.id = e.journey_id
    left join consent_state cs on cs.customer_id = e.customer_id and cs.purpose_id = p.id and cs.theme_key = ''
    where e.state = 'waiting' and e.wait_key like 'consent:%' and e.test_mode = 0
      and (cs.state is null or cs.state = 'not-asked')
    group by p.key, e.journey_id, j.name order by count desc`,
  );
}

// ---------------------------------------------------------------- customer list (drill-down)

export type CustomerListFilter = {
  q?: string;
  purposeId?: number;
  themeKey?: string;
  state?: ConsentState;
  blocked?: boolean;
  pastRetention?: boolean;
  waiting?: boolean;
  blockScope?: string;
  blockReason?: string;
  afterId?: number;
  limit: number;
  now: Date;
};

export type CustomerListRow = {
  id: number;
  email: string | null;
  name: string;
  status: string;
  consentState: ConsentState | null;
  consentUpdatedAt: number | null;
};

/** Keyset-paged customer list (newest first) with the consent state for the selected purpose/theme. */
export async function listCustomersFiltered(
  filter: CustomerListFilter,
  db: Db = getDb(),
): Promise<CustomerListRow[]> {
  const theme = filter.themeKey ?? '';
  const conditions: SQL[] = [];
  // Newest first; `afterId` continues below the last id of the previous page.
  if (filter.afterId) conditions.push(sql`c.id < ${filter.afterId}`);
  if (filter.q) {
    const pattern = `%${filter.q.toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    conditions.push(
      sql`(lower(c.email) like ${pattern} escape '\\' or lower(c.name) like ${pattern} escape '\\' or c.external_id = ${filter.q} or c.id = ${Number(filter.q) || -1})`,
    );
  }
  if (filter.purposeId !== undefined && filter.state) {
    conditions.push(
      filter.state === 'not-asked'
        ? sql`c.status = 'active' and (cs.state is null or cs.state = 'not-asked')`
        : sql`cs.state = ${filter.state}`,
    );
  }
  if (filter.purposeId !== undefined && filter.pastRetention) {
    conditions.push(sql`cs.state is not null and cs.state <> 'granted'
      and cs.updated_at < ${filter.now.getTime()} - CAST((select retention_days from purposes where id = ${filter.purposeId}) AS BIGINT) * 86400000`);
  }
  if (filter.blocked || filter.blockScope || filter.blockReason) {
    const scope = filter.blockScope ? sql` and b.scope = ${filter.blockScope}` : sql``;
    const reason = filter.blockReason ? sql` and b.reason = ${filter.blockReason}` : sql``;
    const themeMatch =
      filter.blocked && theme ? sql` and (b.scope <> 'theme' or b.theme_key = ${theme})` : sql``;
    conditions.push(sql`exists (select 1 from contact_blocks b where b.lifted_at is null
      and (b.customer_id = c.id or (b.scope = 'address' and b.address = c.email))${scope}${reason}${themeMatch})`);
  }
  if (filter.waiting) {
    const waitKey =
      filter.purposeId !== undefined
        ? sql` and w.wait_key = 'consent:' || (select key from purposes where id = ${filter.purposeId})`
        : sql` and w.wait_key like 'consent:%'`;
    conditions.push(sql`exists (select 1 from enrollments w where w.customer_id = c.id and w.state = 'waiting' and w.test_mode = 0${waitKey}
      and not exists (select 1 from consent_state x join purposes xp on xp.id = x.purpose_id
        where x.customer_id = c.id and xp.key = substr(w.wait_key, 9) and x.theme_key = '' and x.state <> 'not-asked'))`);
  }
  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const withPurpose = filter.purposeId !== undefined;
  const join = withPurpose
    ? sql`left join consent_state cs on cs.customer_id = c.id and cs.purpose_id = ${filter.purposeId} and cs.theme_key = ${theme}`
    : sql``;
  const stateColumns = withPurpose
    ? sql`cs.state as "consentState", cs.updated_at as "consentUpdatedAt"`
    : sql`null as "consentState", null as "consentUpdatedAt"`;
  return await queryAll<CustomerListRow>(
    db,
    sql`
    select c.id as id, c.email as email, c.name as name, c.status as status, ${stateColumns}
    from customers c ${join} ${where}
    order by c.id desc limit ${filter.limit}`,
  );
}

// ---------------------------------------------------------------- exports

export type LedgerExportRow = {
  id: number;
  occurredAt: number;
  customerId: number;
  purposeKey: string;
  themeKey: string;
  action: string;
  stateAfter: string;
  source: string;
  noticeHash: string | null;
  evidenceDigest: string;
  prevHash: string;
  hash: string;
};

export type LedgerExportFilter = {
  from?: Date;
  to?: Date;
  purposeId?: number;
  afterId: number;
  limit: number;
};

/** One keyset page of the ledger for the streamed CSV export (no read transaction held between pages). */
export async function ledgerExportPage(
  filter: LedgerExportFilter,
  db: Db = getDb(),
): Promise<LedgerExportRow[]> {
  const conditions: SQL[] = [gt(consentEvents.id, filter.afterId)];
  if (filter.from) conditions.push(sql`${consentEvents.occurredAt} >= ${filter.from.getTime()}`);
  if (filter.to) conditions.push(lt(consentEvents.occurredAt, filter.to));
  if (filter.purposeId !== undefined) conditions.push(eq(consentEvents.purposeId, filter.purposeId));
  return await db
    .select({
      id: consentEvents.id,
      occurredAt: sql<number>`${consentEvents.occurredAt}`,
      customerId: consentEvents.customerId,
      purposeKey: purposes.key,
      themeKey: consentEvents.themeKey,
      action: consentEvents.action,
      stateAfter: consentEvents.stateAfter,
      source: consentEvents.source,
      noticeHash: consentEvents.noticeHash,
      evidenceDigest: consentEvents.evidenceDigest,
      prevHash: consentEvents.prevHash,
      hash: consentEvents.hash,
    })
    .from(consentEvents)
    .innerJoin(purposes, eq(purposes.id, consentEvents.purposeId))
    .where(and(...conditions))
    .orderBy(asc(consentEvents.id))
    .limit(filter.limit)
    .all();
}

export { CONSENT_STATES };
