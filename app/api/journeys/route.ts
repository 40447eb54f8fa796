import { NextResponse } from 'next/server';
import { z } from 'zod';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { listJourneysWithCounts } from '@/lib/journeys/queries';
import { createJourney } from '@/lib/journeys/service';

export const GET = staffRoute('journeys:view', async () => {
  return NextResponse.json({ journeys: await listJourneysWithCounts() });
});

const createBody = z.object({ name: z.string().max(200) });

export const POST = staffRoute('journeys:edit', async (request, _context, staff) => {
  const body = await parseJsonBody(request, createBody, 10_000);
  if (!body.ok) return body.response;
  const result = await createJourney(staff, body.data.name);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json({ journey: result.value }, { status: 201 });
});
