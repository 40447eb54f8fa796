import { staffRoute } from '@/app/_lib/staff-api';
import { recordsCsv, recordsOfProcessing } from '@/lib/mission-control/exports';

export const dynamic = 'force-dynamic';

/** GET /api/mission-control/records.csv: the Art. 30 record of processing activities. */
export const GET = staffRoute('mission-control:view', async () => {
  return new Response(recordsCsv(await recordsOfProcessing()), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="tarmo-records-of-processing.csv"',
      'Cache-Control': 'no-store',
    },
  });
});
