import { NextResponse } from 'next/server';
import { jsonError } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { importJobStatus } from '@/lib/import/jobs';

type Context = { params: Promise<{ id: string }> };

export const GET = staffRoute<Context>('import:run', async (_request, context) => {
  const id = Number((await context.params).id);
  const status = Number.isInteger(id) && id > 0 ? await importJobStatus(id) : null;
  if (!status) return jsonError('not_found', 'No such import');
  return NextResponse.json(status, { headers: { 'cache-control': 'no-store' } });
});
