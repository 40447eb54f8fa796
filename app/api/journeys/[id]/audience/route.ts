import { NextResponse } from 'next/server';
import { z } from 'zod';
import { parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { journeyDraftSchema } from '@/lib/journey';
import { entryAudience } from '@/lib/journeys/audience';
import { findJourney } from '@/lib/journeys/queries';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../_params';

const audienceBody = z.object({ graph: journeyDraftSchema });

/**
 * POST {graph}: how many customers the entry of this (unsaved) draft matches now, and how many of
 * them may be contacted for the journey's purposes. Reads only; nothing is stored.
 */
export const POST = staffRoute<JourneyContext>('journeys:view', async (request, context) => {
  const id = await journeyIdFrom(context);
  if (id === null || !(await findJourney(id))) return journeyNotFound();
  const body = await parseJsonBody(request, audienceBody, 4_000_000);
  if (!body.ok) return body.response;
  return NextResponse.json({ audience: await entryAudience(body.data.graph) });
});
