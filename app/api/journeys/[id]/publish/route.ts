import { NextResponse } from 'next/server';
import { z } from 'zod';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { publishJourney } from '@/lib/journeys/lifecycle';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../_params';

const publishBody = z.object({
  revision: z.int().min(1).optional(),
  confirmWarnings: z.boolean().optional(),
  /** Move customers already in the journey onto the new version (where their step still exists). */
  moveRunning: z.boolean().optional(),
});

export const POST = staffRoute<JourneyContext>('journeys:edit', async (request, context, staff) => {
  const id = await journeyIdFrom(context);
  if (id === null) return journeyNotFound();
  const body = await parseJsonBody(request, publishBody, 10_000);
  if (!body.ok) return body.response;
  const result = await publishJourney(staff, id, body.data);
  if (!result.ok) return failureResponse(result.error);
  if (result.value.kind === 'unchanged') {
    return NextResponse.json(
      {
        ...result.value,
        message: `Nothing to publish: the draft is the same as live version ${result.value.number}`,
      },
      { status: 200 },
    );
  }
  return NextResponse.json(result.value, { status: 201 });
});
