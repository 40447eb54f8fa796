import { NextResponse } from 'next/server';
import { failureResponse } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { duplicateJourney } from '@/lib/journeys/service';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../_params';

export const POST = staffRoute<JourneyContext>('journeys:edit', async (_request, context, staff) => {
  const id = await journeyIdFrom(context);
  if (id === null) return journeyNotFound();
  const result = await duplicateJourney(staff, id);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json({ journey: result.value }, { status: 201 });
});
