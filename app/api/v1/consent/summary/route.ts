import { NextResponse } from 'next/server';
import { parseDashboardFilters } from '@/lib/mission-control/filters';
import { loadConsentSummary } from '@/lib/mission-control/summary';
import { authorizeConsentRead } from '../_lib/access';

export const dynamic = 'force-dynamic';

/** GET /api/v1/consent/summary[?purpose=&theme=]: counts per purpose/theme, blocks, requests, ledger status. */
export async function GET(request: Request): Promise<Response> {
  const access = await authorizeConsentRead(request);
  if (!access.ok) return access.response;
  const { purpose, theme } = parseDashboardFilters(new URL(request.url).searchParams);
  const summary = await loadConsentSummary({ purpose, theme });
  return NextResponse.json(summary, { headers: { 'Cache-Control': 'no-store' } });
}
