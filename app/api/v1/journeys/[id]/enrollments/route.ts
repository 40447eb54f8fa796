import { NextResponse } from 'next/server';
import { apiRoute, idParam } from '@/app/_lib/api-auth';
import { failureResponse, jsonError, parseJsonBody } from '@/app/_lib/http';
import { enrollmentInputSchema } from '@/lib/api/schemas';
import { enrollCustomer } from '@/lib/executor/lifecycle';

type Context = { params: Promise<{ id: string }> };

export const POST = apiRoute<Context>('write', async (request, context) => {
  const journeyId = await idParam(context);
  if (!journeyId) return jsonError('not_found', 'No such journey');
  const body = await parseJsonBody(request, enrollmentInputSchema, 4 * 1024);
  if (!body.ok) return body.response;
  const result = await enrollCustomer(journeyId, body.data.customerId);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json({ enrollmentId: result.value.enrollmentId, status: 'enrolled' }, { status: 201 });
});
