import { staffRoute } from '@/app/_lib/staff-api';
import { recordAudit } from '@/lib/audit';
import { parseDashboardFilters, periodRange } from '@/lib/mission-control/filters';
import { ledgerCsvStream } from '@/lib/mission-control/exports';

export const dynamic = 'force-dynamic';

/**
 * GET /api/mission-control/ledger.csv?purpose=&period=: the consent ledger as CSV, streamed.
 * Without `period` the whole ledger is exported (so the chain can be checked end to end).
 */
export const GET = staffRoute('mission-control:view', async (request, _context, staff) => {
  const params = new URL(request.url).searchParams;
  const filters = parseDashboardFilters(params);
  const range = params.get('period') ? periodRange(filters.period, new Date()) : {};
  await recordAudit({
    actorType: 'user',
    actorId: staff.id,
    action: 'ledger.exported',
    details: { purpose: filters.purpose ?? null, period: params.get('period') ? filters.period : 'all' },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(ledgerCsvStream({ ...range, purposeKey: filters.purpose }), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="tarmo-consent-ledger-${stamp}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
});
