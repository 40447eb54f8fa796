import type { DashboardInsights } from '@/lib/mission-control/insights';
import type { ConsentSummary } from '@/lib/mission-control/summary';

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

export const fetchSummary = (query: string) => getJson<ConsentSummary>(`/api/v1/consent/summary${query}`);
export const fetchInsights = (query: string) =>
  getJson<DashboardInsights>(`/api/mission-control/insights${query}`);
