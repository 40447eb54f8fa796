import type { JourneyListRow } from './JourneyList';

export type JourneyStatusFilter = 'current' | 'all' | JourneyListRow['status'];
export type JourneySort = 'updated' | 'name' | 'status' | 'active';

export const STATUS_FILTERS: { value: JourneyStatusFilter; label: string }[] = [
  { value: 'current', label: 'All but archived' },
  { value: 'all', label: 'All' },
  { value: 'live', label: 'Live' },
  { value: 'paused', label: 'Paused' },
  { value: 'draft', label: 'Draft' },
  { value: 'archived', label: 'Archived' },
];

export const SORTS: { value: JourneySort; label: string }[] = [
  { value: 'updated', label: 'Last edit, newest first' },
  { value: 'name', label: 'Name, A to Z' },
  { value: 'status', label: 'Status' },
  { value: 'active', label: 'Most active customers' },
];

const STATUS_ORDER: Record<JourneyListRow['status'], number> = { live: 0, paused: 1, draft: 2, archived: 3 };

const editedAt = (row: JourneyListRow) => Date.parse(row.updatedAt ?? row.createdAt);

/** The rows the marketer asked for: name contains the search (any case), status matches, in the chosen order. */
export function visibleJourneys(
  rows: readonly JourneyListRow[],
  { query, status, sort }: { query: string; status: JourneyStatusFilter; sort: JourneySort },
): JourneyListRow[] {
  const needle = query.trim().toLocaleLowerCase();
  const shown = rows.filter(
    (row) =>
      (status === 'all' || (status === 'current' ? row.status !== 'archived' : row.status === status)) &&
      (!needle || row.name.toLocaleLowerCase().includes(needle)),
  );
  const byName = (a: JourneyListRow, b: JourneyListRow) => a.name.localeCompare(b.name);
  const compare: Record<JourneySort, (a: JourneyListRow, b: JourneyListRow) => number> = {
    updated: (a, b) => editedAt(b) - editedAt(a) || byName(a, b),
    name: (a, b) => byName(a, b) || a.id - b.id,
    status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || byName(a, b),
    active: (a, b) => b.activeCount - a.activeCount || byName(a, b),
  };
  return [...shown].sort(compare[sort]);
}
