'use client';
import { useRouter } from 'next/navigation';
import {
  filtersToQuery,
  PERIODS,
  type DashboardFilters,
  type PeriodKey,
} from '@/lib/mission-control/filters';

export type PurposeOption = { key: string; name: string; themes: { key: string; name: string }[] };

/** Filters live in the URL; a plain GET form, so it also works (and can be bookmarked) without JS. */
export function FilterBar({ filters, purposes }: { filters: DashboardFilters; purposes: PurposeOption[] }) {
  const router = useRouter();
  const themes = purposes.find((p) => p.key === filters.purpose)?.themes ?? [];
  const go = (next: Partial<DashboardFilters>) =>
    router.push(`/mission-control${filtersToQuery({ ...filters, ...next })}`);
  return (
    <form method="get" action="/mission-control" className="row" aria-label="Filters">
      <div>
        <label htmlFor="mc-purpose">Purpose</label>
        <select
          id="mc-purpose"
          name="purpose"
          value={filters.purpose ?? ''}
          onChange={(e) => go({ purpose: e.target.value || undefined, theme: undefined })}
        >
          <option value="">All purposes</option>
          {purposes.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="mc-theme">Theme</label>
        <select
          id="mc-theme"
          name="theme"
          value={filters.theme ?? ''}
          disabled={!themes.length}
          onChange={(e) => go({ theme: e.target.value || undefined })}
        >
          <option value="">All themes</option>
          {themes.map((t) => (
            <option key={t.key} value={t.key}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="mc-period">Period</label>
        <select
          id="mc-period"
          name="period"
          value={filters.period}
          onChange={(e) => go({ period: e.target.value as PeriodKey })}
        >
          {Object.keys(PERIODS).map((p) => (
            <option key={p} value={p}>
              Last {PERIODS[p as PeriodKey]} days
            </option>
          ))}
        </select>
      </div>
      <noscript>
        <button type="submit">Apply</button>
      </noscript>
    </form>
  );
}
