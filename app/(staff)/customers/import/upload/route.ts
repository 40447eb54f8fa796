import { NextResponse } from 'next/server';
import { failureResponse } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { receiveUpload } from '@/lib/import/jobs';

/** POST the raw CSV file as the body; ?name= carries the original file name. */
export const POST = staffRoute('import:run', async (request, _context, staff) => {
  const fileName = new URL(request.url).searchParams.get('name') ?? 'upload.csv';
  const result = await receiveUpload(request.body, fileName, staff.id);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json({ ok: true, ...result.value }, { status: 201 });
});
