import {
  consentChangesByDay,
  countPastRetentionByPurpose,
  countWaitingForUnaskedConsent,
  optinRequestOutcomes,
  type WaitingForUnasked,
} from '@/db/store/dashboard-insights';
import { listPurposeInfo } from '@/db/store/dashboard';
import { type ConsentAction } from '@/lib/vocabulary';
import { periodRange, type DashboardFilters } from './filters';
import { summariseFunnel, type OptinFunnel } from './funnel';

export type ChangesPoint = { day: string } & Partial<Record<ConsentAction, number>>;

export type DashboardInsights = {
  generatedAt: string;
  period: { from: string; to: string };
  funnel: OptinFunnel;
  changes: ChangesPoint[];
  pastRetention: { purposeKey: string; purposeName: string; retentionDays: number; count: number }[];
  waitingForUnasked: WaitingForUnasked[];
};

/** Fills days without events with zeros so the chart's time axis is continuous. */
export function toDailySeries(
  rows: { day: number; action: ConsentAction; count: number }[],
  from: Date,
  to: Date,
): ChangesPoint[] {
  const byDay = new Map<number, ChangesPoint>();
  const start = Math.floor(from.getTime() / 86_400_000) * 86_400_000;
  for (let day = start; day <= to.getTime(); day += 86_400_000) {
    byDay.set(day, { day: new Date(day).toISOString().slice(0, 10) });
  }
  for (const row of rows) {
    const point = byDay.get(row.day);
    if (point) point[row.action] = (point[row.action] ?? 0) + row.count;
  }
  return [...byDay.values()];
}

/**
 * The period-bound panels. They read ranges of the ledger, so results are cached briefly per
 * filter; the live counts come from the summary, not from here.
 */
const cache = new Map<string, { at: number; value: Promise<DashboardInsights> }>();
const CACHE_MS = 3_000;

export function loadDashboardInsights(
  filters: DashboardFilters,
  now = new Date(),
): Promise<DashboardInsights> {
  const key = JSON.stringify(filters);
  const hit = cache.get(key);
  if (hit && now.getTime() - hit.at < CACHE_MS) return hit.value;
  const value = computeInsights(filters, now);
  cache.set(key, { at: now.getTime(), value });
  value.catch(() => cache.delete(key));
  if (cache.size > 50) cache.delete(cache.keys().next().value as string);
  return value;
}

async function computeInsights(filters: DashboardFilters, now: Date): Promise<DashboardInsights> {
  const { from, to } = periodRange(filters.period, now);
  const purposes = await listPurposeInfo();
  const purpose = filters.purpose ? purposes.find((p) => p.key === filters.purpose) : undefined;
  const period = {
    from,
    to,
    ...(purpose ? { purposeId: purpose.id } : {}),
    ...(purpose ? { themeKey: filters.theme ?? '' } : {}),
  };
  // The funnel counts people per purpose over all its themes unless one theme is chosen.
  const funnelPeriod = {
    from,
    to,
    ...(purpose ? { purposeId: purpose.id } : {}),
    ...(purpose && filters.theme ? { themeKey: filters.theme } : {}),
  };
  const [changes, outcomes, retention, waiting] = await Promise.all([
    consentChangesByDay(period),
    optinRequestOutcomes(funnelPeriod),
    countPastRetentionByPurpose(now),
    countWaitingForUnaskedConsent(),
  ]);
  return {
    generatedAt: now.toISOString(),
    period: { from: from.toISOString(), to: to.toISOString() },
    funnel: summariseFunnel(outcomes),
    changes: toDailySeries(changes, from, to),
    pastRetention: purposes
      .filter((p) => !purpose || p.id === purpose.id)
      .map((p) => ({
        purposeKey: p.key,
        purposeName: p.name,
        retentionDays: p.retentionDays,
        count: retention.get(p.id) ?? 0,
      })),
    waitingForUnasked: waiting.filter((w) => !purpose || w.purposeKey === purpose.key),
  };
}

/** The purposes shown in Mission Control's filters. */
export { listPurposeInfo } from '@/db/store/dashboard';
