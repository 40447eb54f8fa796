import { NextResponse } from 'next/server';
import { z } from 'zod';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { setJourneyStatus } from '@/lib/journeys/lifecycle';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../_params';

const statusBody = z.object({ action: z.enum(['pause', 'resume', 'archive', 'unarchive']) });

/** POST {action: pause|resume|archive|unarchive} (unarchive: back to a draft). */
export const POST = staffRoute<JourneyContext>('journeys:edit', async (request, context, staff) => {
  const id = await journeyIdFrom(context);
  if (id === null) return journeyNotFound();
  const body = await parseJsonBody(request, statusBody, 1_000);
  if (!body.ok) return body.response;
  const result = await setJourneyStatus(staff, id, body.data.action);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json({ journey: result.value });
});
