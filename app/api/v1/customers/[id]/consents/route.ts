import { NextResponse } from 'next/server';
import { apiRoute, idParam } from '@/app/_lib/api-auth';
import { failureResponse, jsonError, parseJsonBody } from '@/app/_lib/http';
import { consentAnswer } from '@/lib/api/disclosure';
import { consentActionSchema } from '@/lib/api/schemas';
import { customerConsents, recordApiConsent } from '@/lib/customers/consents';

type Context = { params: Promise<{ id: string }> };

export const GET = apiRoute<Context>('read', async (_request, context) => {
  const id = await idParam(context);
  const result = id ? await customerConsents(id) : null;
  if (!result) return jsonError('not_found', 'No such customer');
  return NextResponse.json(result);
});

export const POST = apiRoute<Context>('write', async (request, context, caller) => {
  const id = await idParam(context);
  if (!id) return jsonError('not_found', 'No such customer');
  const body = await parseJsonBody(request, consentActionSchema, 32 * 1024);
  if (!body.ok) return body.response;
  const result = await recordApiConsent(id, body.data, { type: 'api_key', id: caller.key.id });
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json(consentAnswer(result.value.consents, id, caller.key.scopes), { status: 201 });
});
