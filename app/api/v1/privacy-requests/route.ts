import { NextResponse } from 'next/server';
import { apiRoute } from '@/app/_lib/api-auth';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { privacyRequestInputSchema } from '@/lib/api/schemas';
import { openApiPrivacyRequest } from '@/lib/customers/privacy-requests';

export const POST = apiRoute('privacy', async (request, _context, caller) => {
  const body = await parseJsonBody(request, privacyRequestInputSchema, 16 * 1024);
  if (!body.ok) return body.response;
  const result = await openApiPrivacyRequest(body.data, { type: 'api_key', id: caller.key.id });
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json(result.value.request, { status: 201 });
});
