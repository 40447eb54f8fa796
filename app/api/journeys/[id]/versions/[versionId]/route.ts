import { NextResponse } from 'next/server';
import { staffRoute } from '@/app/_lib/staff-api';
import { findVersion } from '@/db/store/journeys';
import { journeyIdFrom, journeyNotFound } from '../../../_params';

type VersionContext = { params: Promise<{ id: string; versionId: string }> };

export const GET = staffRoute<VersionContext>('journeys:view', async (_request, context) => {
  const id = await journeyIdFrom(context);
  const { versionId } = await context.params;
  const version =
    id !== null && /^\d{1,12}$/.test(versionId) ? await findVersion(id, Number(versionId)) : undefined;
  if (!version || version.isDraft) return journeyNotFound();
  return NextResponse.json({ version });
});
