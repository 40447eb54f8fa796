import { NextResponse } from 'next/server';
import { z } from 'zod';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { declareWinner } from '@/lib/journeys/experiments';
import { SPLIT_BRANCHES } from '@/lib/journey';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../../_params';

const winnerBody = z.strictObject({
  nodeId: z.string().min(1).max(200),
  branch: z.enum(SPLIT_BRANCHES),
});

/** POST: publishes a version whose split sends everyone to the branch (marketers and admins; same-origin only). */
export const POST = staffRoute<JourneyContext>('journeys:edit', async (request, context, staff) => {
  const id = await journeyIdFrom(context);
  if (id === null) return journeyNotFound();
  const body = await parseJsonBody(request, winnerBody, 2_000);
  if (!body.ok) return body.response;
  const result = await declareWinner(staff, id, body.data.nodeId, body.data.branch);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json(result.value, { status: result.value.kind === 'published' ? 201 : 200 });
});
