import { NextResponse } from 'next/server';
import { apiRoute } from '@/app/_lib/api-auth';
import { failureResponse, jsonError, readJson, validateJson } from '@/app/_lib/http';
import { eventBatchSchema, eventInputSchema, MAX_EVENT_BATCH } from '@/lib/api/schemas';
import { ingestEvents } from '@/lib/customers/events';

// Generous for 1,000 events with small property bags; anything larger is a 413.
const MAX_BODY = 4 * 1024 * 1024;

export const POST = apiRoute('write', async (request) => {
  const body = await readJson(request, MAX_BODY);
  if (!body.ok) return body.response;
  // Counted before validation, so an oversized batch gets 413 rather than a 400 about item 1000.
  if (Array.isArray(body.json) && body.json.length > MAX_EVENT_BATCH) {
    return jsonError(
      'batch_too_large',
      `At most ${MAX_EVENT_BATCH} events per request; got ${body.json.length}`,
    );
  }
  // Validated against the array or the single shape, so a wrong field is named as "3.name".
  const parsed = Array.isArray(body.json)
    ? validateJson(eventBatchSchema, body.json)
    : validateJson(eventInputSchema, body.json);
  if (!parsed.ok) return parsed.response;
  const inputs = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const result = await ingestEvents(inputs);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json(
    { accepted: result.value.eventIds.length, eventIds: result.value.eventIds },
    { status: 202 },
  );
});
