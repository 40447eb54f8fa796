import { NextResponse } from 'next/server';
import { failureResponse } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { restoreVersion } from '@/lib/journeys/service';
import { journeyIdFrom, journeyNotFound } from '../../../../_params';

type VersionContext = { params: Promise<{ id: string; versionId: string }> };

export const POST = staffRoute<VersionContext>('journeys:edit', async (_request, context, staff) => {
  const id = await journeyIdFrom(context);
  const { versionId } = await context.params;
  if (id === null || !/^\d{1,12}$/.test(versionId)) return journeyNotFound();
  const result = await restoreVersion(staff, id, Number(versionId));
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json(result.value);
});
