import { CONSENT_STATES, type ConsentState } from '@/lib/vocabulary';

/** Mission Control's filters as they live in the URL (?purpose=&theme=&period=). */
export const PERIODS = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 } as const;
export type PeriodKey = keyof typeof PERIODS;
export const DEFAULT_PERIOD: PeriodKey = '30d';

export type DashboardFilters = { purpose?: string; theme?: string; period: PeriodKey };

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function first(params: Params, name: string): string | undefined {
  const raw = params instanceof URLSearchParams ? params.get(name) : params[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === null || value === undefined || value === '' ? undefined : value;
}

const KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Unknown or malformed values fall back to "all" rather than erroring: the URL is user-editable. */
export function parseDashboardFilters(params: Params): DashboardFilters {
  const purpose = first(params, 'purpose');
  const theme = first(params, 'theme');
  const period = first(params, 'period');
  return {
    purpose: purpose && KEY.test(purpose) ? purpose : undefined,
    theme: purpose && theme && KEY.test(theme) ? theme : undefined,
    period: period && period in PERIODS ? (period as PeriodKey) : DEFAULT_PERIOD,
  };
}

export function periodRange(period: PeriodKey, now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - PERIODS[period] * 86_400_000), to: now };
}

export function filtersToQuery(filters: Partial<DashboardFilters>): string {
  const q = new URLSearchParams();
  if (filters.purpose) q.set('purpose', filters.purpose);
  if (filters.theme) q.set('theme', filters.theme);
  if (filters.period && filters.period !== DEFAULT_PERIOD) q.set('period', filters.period);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Customer-list filters (the drill-down target of every number), also URL-kept. */
export type CustomerListParams = {
  q?: string;
  purpose?: string;
  theme?: string;
  state?: ConsentState;
  blocked?: boolean;
  retention?: 'past';
  waiting?: boolean;
  scope?: string;
  reason?: string;
  after?: number;
};

export function parseCustomerListParams(params: Params): CustomerListParams {
  const state = first(params, 'state');
  const after = Number(first(params, 'after'));
  const q = first(params, 'q')?.trim().slice(0, 200);
  const { purpose, theme } = parseDashboardFilters(params);
  const scope = first(params, 'scope');
  const reason = first(params, 'reason');
  return {
    q: q || undefined,
    purpose,
    theme,
    state:
      state && (CONSENT_STATES as readonly string[]).includes(state) ? (state as ConsentState) : undefined,
    blocked: first(params, 'blocked') === '1' || undefined,
    retention: first(params, 'retention') === 'past' ? 'past' : undefined,
    waiting: first(params, 'waiting') === '1' || undefined,
    scope: scope && KEY.test(scope) ? scope : undefined,
    reason: reason && KEY.test(reason) ? reason : undefined,
    after: Number.isSafeInteger(after) && after > 0 ? after : undefined,
  };
}

export function customerListHref(params: CustomerListParams): string {
  const q = new URLSearchParams();
  if (params.q) q.set('q', params.q);
  if (params.purpose) q.set('purpose', params.purpose);
  if (params.theme) q.set('theme', params.theme);
  if (params.state) q.set('state', params.state);
  if (params.blocked) q.set('blocked', '1');
  if (params.retention) q.set('retention', params.retention);
  if (params.waiting) q.set('waiting', '1');
  if (params.scope) q.set('scope', params.scope);
  if (params.reason) q.set('reason', params.reason);
  if (params.after) q.set('after', String(params.after));
  const s = q.toString();
  return `/customers${s ? `?${s}` : ''}`;
}
