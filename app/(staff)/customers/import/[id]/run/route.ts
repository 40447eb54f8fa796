import { NextResponse } from 'next/server';
import { z } from 'zod';
import { failureResponse, jsonError, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { startImport } from '@/lib/import/jobs';

type Context = { params: Promise<{ id: string }> };
const bodySchema = z.object({ dryRun: z.boolean(), mapping: z.unknown() });

export const POST = staffRoute<Context>('import:run', async (request, context, staff) => {
  const id = Number((await context.params).id);
  if (!Number.isInteger(id) || id <= 0) return jsonError('not_found', 'No such import');
  const body = await parseJsonBody(request, bodySchema, 256 * 1024);
  if (!body.ok) return body.response;
  const result = await startImport(id, body.data, staff.id);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json({ started: true, warnings: result.value.warnings }, { status: 202 });
});
