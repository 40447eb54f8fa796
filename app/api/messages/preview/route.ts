import { NextResponse } from 'next/server';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { previewMessage, previewRequestSchema } from '@/lib/messages/preview';

/** POST {content, purpose, theme?, customerId?, language?}: the message rendered as that customer (or an empty profile); reads only. */
export const POST = staffRoute('journeys:edit', async (request) => {
  const body = await parseJsonBody(request, previewRequestSchema, 300_000);
  if (!body.ok) return body.response;
  const result = await previewMessage(body.data);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json(result.value);
});
