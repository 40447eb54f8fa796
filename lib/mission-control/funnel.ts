import { type ConsentAction } from '@/lib/vocabulary';

export type OptinOutcome = { requestedAt: number; nextAction: ConsentAction | null; nextAt: number | null };

export type OptinFunnel = {
  requested: number;
  confirmed: number;
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

/** Requested → confirmed: a request counts as confirmed when the next event for it is a grant. */
export function summariseFunnel(outcomes: readonly OptinOutcome[]): OptinFunnel {
  const delays: number[] = [];
  let expired = 0;
  let stillPending = 0;
  for (const o of outcomes) {
    if (o.nextAction === 'grant' && o.nextAt !== null) delays.push(Math.max(0, o.nextAt - o.requestedAt));
    else if (o.nextAction === 'expire') expired += 1;
    else if (o.nextAction === null) stillPending += 1;
  }
  return {
    requested: outcomes.length,
    confirmed: delays.length,
    expired,
    stillPending,
    rate: outcomes.length ? delays.length / outcomes.length : null,
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
