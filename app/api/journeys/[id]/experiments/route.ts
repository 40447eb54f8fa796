import { NextResponse } from 'next/server';
import { staffRoute } from '@/app/_lib/staff-api';
import { liveExperimentResults } from '@/lib/journeys/experiments';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../_params';

/** GET: the split tests of the live version with their numbers per branch (aggregates only). */
export const GET = staffRoute<JourneyContext>('journeys:view', async (_request, context) => {
  const id = await journeyIdFrom(context);
  if (id === null) return journeyNotFound();
  const experiments = await liveExperimentResults(id);
  if (!experiments) return journeyNotFound();
  return NextResponse.json({ experiments });
});
