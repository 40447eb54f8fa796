import { NextResponse } from 'next/server';
import { z } from 'zod';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { findJourney } from '@/lib/journeys/queries';
import { renameJourney } from '@/lib/journeys/service';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../_params';

export const GET = staffRoute<JourneyContext>('journeys:view', async (_request, context) => {
  const id = await journeyIdFrom(context);
  const journey = id === null ? undefined : await findJourney(id);
  if (!journey) return journeyNotFound();
  return NextResponse.json({ journey });
});

const renameBody = z.object({ name: z.string().max(200) });

export const PATCH = staffRoute<JourneyContext>('journeys:edit', async (request, context, staff) => {
  const id = await journeyIdFrom(context);
  if (id === null) return journeyNotFound();
  const body = await parseJsonBody(request, renameBody, 10_000);
  if (!body.ok) return body.response;
  const result = await renameJourney(staff, id, body.data.name);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json({ journey: result.value });
});
