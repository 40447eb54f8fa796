import { apiRoute, idParam } from '@/app/_lib/api-auth';
import { failure, ok } from '@/app/_lib/api-responses';
import { jsonError, parseJsonBody } from '@/app/_lib/http';
import { getCustomer } from '@/db/store/customers';
import { customerPatchSchema } from '@/lib/api/schemas';
import { toCustomerDto } from '@/lib/customers/dto';
import { patchCustomer } from '@/lib/customers/upsert';

type Context = { params: Promise<{ id: string }> };

export const GET = apiRoute<Context>('read', async (_request, context) => {
  const id = await idParam(context);
  const customer = id ? await getCustomer(id) : undefined;
  if (!customer) return jsonError(404, 'not_found', 'No such customer');
  return ok(toCustomerDto(customer));
});

export const PATCH = apiRoute<Context>('write', async (request, context, caller) => {
  const id = await idParam(context);
  if (!id) return jsonError(404, 'not_found', 'No such customer');
  const body = await parseJsonBody(request, customerPatchSchema, 64 * 1024);
  if (!body.ok) return body.response;
  const result = await patchCustomer(id, body.data, { type: 'api_key', id: caller.key.id });
  if (!result.ok) return failure(result);
  return ok(toCustomerDto(result.customer));
});
