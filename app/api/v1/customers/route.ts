import { NextResponse } from 'next/server';
import { apiRoute } from '@/app/_lib/api-auth';
import { failureResponse, jsonError, parseJsonBody } from '@/app/_lib/http';
import { listCustomersPage } from '@/lib/api/catalog';
import { customerUpsertSchema } from '@/lib/api/schemas';
import { parsePageQuery, toPage } from '@/lib/api/pagination';
import { customerAnswer } from '@/lib/api/disclosure';
import { toCustomerDto } from '@/lib/customers/dto';
import { upsertCustomer } from '@/lib/customers/upsert';

export const POST = apiRoute('write', async (request, _context, caller) => {
  const body = await parseJsonBody(request, customerUpsertSchema, 64 * 1024);
  if (!body.ok) return body.response;
  const result = await upsertCustomer(body.data, { type: 'api_key', id: caller.key.id });
  if (!result.ok) return failureResponse(result.error);
  const { customer, created, mergedCustomerIds } = result.value;
  return NextResponse.json(
    { customer: customerAnswer(toCustomerDto(customer), caller.key.scopes), created, mergedCustomerIds },
    { status: created ? 201 : 200 },
  );
});

export const GET = apiRoute('read', async (request) => {
  const query = parsePageQuery(new URL(request.url));
  if (!query.ok) return jsonError('invalid_field', query.message, query.field);
  const rows = await listCustomersPage(query.page.afterId, query.page.limit);
  return NextResponse.json(toPage(rows, query.page.limit, toCustomerDto));
});
