import { NextResponse } from 'next/server';
import { z } from 'zod';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { runDraftTest } from '@/lib/journeys/test-run';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../_params';

const testBody = z.object({
  customerId: z.int().positive(),
  startAt: z.iso.datetime({ offset: true, local: true }).optional(),
  assumeConsent: z.boolean().optional(),
});

/** POST {customerId, startAt?, assumeConsent?}: a simulated run of the draft; nothing is sent or stored on the customer. */
export const POST = staffRoute<JourneyContext>('journeys:edit', async (request, context, staff) => {
  const id = await journeyIdFrom(context);
  if (id === null) return journeyNotFound();
  const body = await parseJsonBody(request, testBody, 2_000);
  if (!body.ok) return body.response;
  const result = await runDraftTest(staff, id, {
    customerId: body.data.customerId,
    startAt: body.data.startAt ? new Date(body.data.startAt) : undefined,
    assumeConsent: body.data.assumeConsent,
  });
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json(result.value);
});
