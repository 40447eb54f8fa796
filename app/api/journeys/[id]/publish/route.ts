import { NextResponse } from 'next/server';
import { z } from 'zod';
import { parseJsonBody } from '@/app/_lib/http';
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
  switch (result.kind) {
    case 'published':
      return NextResponse.json(result, { status: 201 });
    case 'blocked':
      return NextResponse.json(
        {
          error: { code: 'validation_failed', message: 'Fix the errors before publishing' },
          errors: result.errors,
          warnings: result.warnings,
        },
        { status: 422 },
      );
    case 'needs_confirmation':
      return NextResponse.json(
        {
          error: { code: 'confirm_warnings', message: 'Confirm the warnings to publish' },
          errors: [],
          warnings: result.warnings,
        },
        { status: 409 },
      );
    case 'conflict':
      return NextResponse.json(
        {
          error: {
            code: 'conflict',
            message: 'The draft changed since you loaded it. Reload before publishing.',
          },
          currentRevision: result.currentRevision,
        },
        { status: 409 },
      );
    case 'not_found':
      return journeyNotFound();
  }
});
