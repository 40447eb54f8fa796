import { type ConsentAction } from '@/lib/vocabulary';

export type OptinOutcome = {
  customerId: number;
  purposeId: number;
  /** Orders requests made at the same moment (a purpose and its themes). */
  requestId: number;
  requestedAt: number;
  /** What followed this request for the same customer, purpose and theme. */
  nextAction: ConsentAction | null;
  nextAt: number | null;
};

/** Counted per person and purpose, so requested = confirmed + expired + stillPending. */
export type OptinFunnel = {
  requested: number;
  confirmed: number;
  /** The link expired, or the person said no (withdrew, objected) before confirming. */
  expired: number;
  stillPending: number;
  /** confirmed / requested, 0..1; null when nothing was requested. */
  rate: number | null;
  medianMsToConfirm: number | null;
};

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Requested → confirmed, per person and purpose: one opt-in for a purpose with themes writes a
 * request (and later a grant) for the purpose and for each theme, and a person may be sent a new
 * link after the first expired; both must count once. The person's latest request in the period
 * decides: followed by a grant it is confirmed (the delay feeds the median), by nothing it is
 * still pending, by anything else (expiry, withdrawal, objection) it ended unconfirmed.
 */
export function summariseFunnel(outcomes: readonly OptinOutcome[]): OptinFunnel {
  const latest = new Map<string, OptinOutcome>();
  for (const o of outcomes) {
    const key = `${o.customerId}:${o.purposeId}`;
    const seen = latest.get(key);
    if (
      !seen ||
      o.requestedAt > seen.requestedAt ||
      (o.requestedAt === seen.requestedAt && o.requestId > seen.requestId)
    )
      latest.set(key, o);
  }
  const delays: number[] = [];
  let expired = 0;
  let stillPending = 0;
  for (const o of latest.values()) {
    if (o.nextAction === 'grant' && o.nextAt !== null) delays.push(Math.max(0, o.nextAt - o.requestedAt));
    else if (o.nextAction === null) stillPending += 1;
    else expired += 1;
  }
  const requested = latest.size;
  return {
    requested,
    confirmed: delays.length,
    expired,
    stillPending,
    rate: requested ? delays.length / requested : null,
    medianMsToConfirm: median(delays),
  };
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.round((m / 60) * 10) / 10;
  if (h < 48) return `${h} h`;
  return `${Math.round((h / 24) * 10) / 10} d`;
}
