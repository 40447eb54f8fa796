import { NextResponse } from 'next/server';
import { z } from 'zod';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { findDraft } from '@/lib/journeys/queries';
import { saveDraft } from '@/lib/journeys/service';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../_params';

export const GET = staffRoute<JourneyContext>('journeys:view', async (_request, context) => {
  const id = await journeyIdFrom(context);
  const draft = id === null ? undefined : await findDraft(id);
  if (!draft) return journeyNotFound();
  return NextResponse.json({ revision: draft.revision, graph: draft.graph, updatedAt: draft.updatedAt });
});

// The graph itself is checked by the service with the shared draft schema, so the 400 can name the step.
const saveBody = z.object({ revision: z.int().min(1), graph: z.unknown() });

export const PUT = staffRoute<JourneyContext>('journeys:edit', async (request, context, staff) => {
  const id = await journeyIdFrom(context);
  if (id === null) return journeyNotFound();
  const body = await parseJsonBody(request, saveBody, 8 * 1024 * 1024);
  if (!body.ok) return body.response;
  const result = await saveDraft(staff, id, body.data);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json(result.value);
});
