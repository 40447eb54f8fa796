import { sql, type SQL } from 'drizzle-orm';
import { getDb, queryAll, type Db } from '../client';
import { type ConsentAction } from '@/lib/vocabulary';

/** Mission Control insights over a period: consent changes per day, opt-in outcomes, retention, waits. */

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
