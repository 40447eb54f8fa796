import { NextResponse } from 'next/server';
import { staffRoute } from '@/app/_lib/staff-api';
import { listPublishedVersions } from '@/lib/journeys/queries';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../_params';

export const GET = staffRoute<JourneyContext>('journeys:view', async (_request, context) => {
  const id = await journeyIdFrom(context);
  if (id === null) return journeyNotFound();
  return NextResponse.json({ versions: await listPublishedVersions(id) });
});
