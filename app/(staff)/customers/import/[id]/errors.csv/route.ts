import { jsonError } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { errorReportCsv } from '@/lib/import/jobs';

type Context = { params: Promise<{ id: string }> };

export const GET = staffRoute<Context>('import:run', async (_request, context) => {
  const id = Number((await context.params).id);
  const csv = Number.isInteger(id) && id > 0 ? await errorReportCsv(id) : null;
  if (csv === null) return jsonError('not_found', 'No such import');
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="import-${id}-report.csv"`,
      'cache-control': 'no-store',
    },
  });
});
