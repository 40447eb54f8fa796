import { NextResponse } from 'next/server';
import { z } from 'zod';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { listJourneysWithCounts } from '@/lib/journeys/queries';
import { createJourney } from '@/lib/journeys/service';
import { JOURNEY_TEMPLATE_KEYS } from '@/lib/journey/templates';

export const GET = staffRoute('journeys:view', async () => {
  return NextResponse.json({ journeys: await listJourneysWithCounts() });
});

const createBody = z.object({
  name: z.string().max(200),
  /** A starter template (lib/journey/templates) and the consent purpose it writes for. */
  template: z.enum(JOURNEY_TEMPLATE_KEYS).optional(),
  purpose: z.string().max(100).optional(),
});

export const POST = staffRoute('journeys:edit', async (request, _context, staff) => {
  const body = await parseJsonBody(request, createBody, 10_000);
  if (!body.ok) return body.response;
  const { name, template, purpose } = body.data;
  const result = await createJourney(staff, name, template ? { template, purpose } : undefined);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json({ journey: result.value }, { status: 201 });
});
