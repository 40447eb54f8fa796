import { NextResponse } from 'next/server';
import { apiRoute, idParam } from '@/app/_lib/api-auth';
import { failureResponse, jsonError, parseJsonBody } from '@/app/_lib/http';
import { getCustomer } from '@/lib/api/catalog';
import { customerPatchSchema } from '@/lib/api/schemas';
import { customerAnswer } from '@/lib/api/disclosure';
import { toCustomerDto } from '@/lib/customers/dto';
import { patchCustomer } from '@/lib/customers/upsert';

type Context = { params: Promise<{ id: string }> };

export const GET = apiRoute<Context>('read', async (_request, context) => {
  const id = await idParam(context);
  const customer = id ? await getCustomer(id) : undefined;
  if (!customer) return jsonError('not_found', 'No such customer');
  return NextResponse.json(toCustomerDto(customer));
});

export const PATCH = apiRoute<Context>('write', async (request, context, caller) => {
  const id = await idParam(context);
  if (!id) return jsonError('not_found', 'No such customer');
  const body = await parseJsonBody(request, customerPatchSchema, 64 * 1024);
  if (!body.ok) return body.response;
  const result = await patchCustomer(id, body.data, { type: 'api_key', id: caller.key.id });
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json(customerAnswer(toCustomerDto(result.value.customer), caller.key.scopes));
});
