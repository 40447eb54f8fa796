import { NextResponse } from 'next/server';
import { staffRoute } from '@/app/_lib/staff-api';
import { parseDashboardFilters } from '@/lib/mission-control/filters';
import { loadDashboardInsights } from '@/lib/mission-control/insights';

export const dynamic = 'force-dynamic';

/** GET /api/mission-control/insights?purpose=&theme=&period=: funnel, chart, retention, waiting. */
export const GET = staffRoute('mission-control:view', async (request) => {
  const filters = parseDashboardFilters(new URL(request.url).searchParams);
  return NextResponse.json(await loadDashboardInsights(filters), {
    headers: { 'Cache-Control': 'no-store' },
  });
});
