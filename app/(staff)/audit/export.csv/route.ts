import { staffRoute } from '@/app/_lib/staff-api';
import { recordAudit } from '@/lib/audit';
import { auditCsv, parseAuditFilter } from '@/lib/mission-control/audit-trail';

export const dynamic = 'force-dynamic';

/** GET /audit/export.csv?<the page's filters>: the audit trail as CSV (admins and compliance). */
export const GET = staffRoute('audit:view', async (request, _context, staff) => {
  const filter = parseAuditFilter(new URL(request.url).searchParams);
  await recordAudit({
    actorType: 'user',
    actorId: staff.id,
    action: 'audit.exported',
    details: { ...filter },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(await auditCsv(filter), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="tarmo-audit-${stamp}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
});
