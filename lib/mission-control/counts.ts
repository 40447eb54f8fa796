import { type ConsentState } from '@/lib/vocabulary';

/** The states Mission Control shows per purpose and theme; "not-asked" is derived (see below). */
export const SUMMARY_STATES = [
  'not-asked',
  'pending',
  'granted',
  'withdrawn',
  'expired',
  'objected',
] as const satisfies readonly ConsentState[];

export type StateCounts = Record<ConsentState, number>;

export type CounterInput = { purposeId: number; themeKey: string; state: ConsentState; count: number };

export function emptyCounts(): StateCounts {
  return { 'not-asked': 0, pending: 0, granted: 0, withdrawn: 0, expired: 0, objected: 0 };
}

/**
 * Counts for one purpose (themeKey '') or theme from the consent_counters rows.
 *
 * "Not asked" is not stored for every customer (a customer who was never asked has no ledger
 * event, so no counter moves when they are created). It is derived: the number of active
 * customers minus everyone with any other state for this purpose/theme. Customers that were
 * erased or restricted after being asked still hold a state in the counters, so the difference
 * is clamped at zero; it is exact whenever every asked customer is still active.
 */
export function countsFor(
  counters: readonly CounterInput[],
  purposeId: number,
  themeKey: string,
  activeCustomers: number,
): StateCounts {
  const counts = emptyCounts();
  for (const row of counters) {
    if (row.purposeId !== purposeId || row.themeKey !== themeKey) continue;
    // A stored 'not-asked' state (e.g. after a reset) is folded into the derived figure.
    if (row.state === 'not-asked') continue;
    counts[row.state] += row.count;
  }
  const asked = counts.pending + counts.granted + counts.withdrawn + counts.expired + counts.objected;
  counts['not-asked'] = Math.max(0, activeCustomers - asked);
  return counts;
}
