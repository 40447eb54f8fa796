import { NextResponse } from 'next/server';
import { staffRoute } from '@/app/_lib/staff-api';
import { findPublishedVersion } from '@/lib/journeys/queries';
import { journeyIdFrom, journeyNotFound } from '../../../_params';

type VersionContext = { params: Promise<{ id: string; versionId: string }> };

export const GET = staffRoute<VersionContext>('journeys:view', async (_request, context) => {
  const id = await journeyIdFrom(context);
  const { versionId } = await context.params;
  const version =
    id !== null && /^\d{1,12}$/.test(versionId)
      ? await findPublishedVersion(id, Number(versionId))
      : undefined;
  if (!version) return journeyNotFound();
  return NextResponse.json({ version });
});
