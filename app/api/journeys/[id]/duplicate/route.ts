import { NextResponse } from 'next/server';
import { staffRoute } from '@/app/_lib/staff-api';
import { duplicateJourney } from '@/lib/journeys/service';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../_params';

export const POST = staffRoute<JourneyContext>('journeys:edit', async (_request, context, staff) => {
  const id = await journeyIdFrom(context);
  const result = id === null ? null : await duplicateJourney(staff, id);
  if (!result || 'kind' in result) return journeyNotFound();
  return NextResponse.json({ journey: result }, { status: 201 });
});
