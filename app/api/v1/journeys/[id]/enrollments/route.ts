import { apiRoute, idParam } from '@/app/_lib/api-auth';
import { ok } from '@/app/_lib/api-responses';
import { jsonError, parseJsonBody } from '@/app/_lib/http';
import { enrollmentInputSchema } from '@/lib/api/schemas';
import { enrollCustomer } from '@/lib/executor/lifecycle';

type Context = { params: Promise<{ id: string }> };

const FAILURE_STATUS = {
  'journey-not-live': 409,
  'unknown-customer': 404,
  'customer-erased': 409,
  'not-allowed': 409,
} as const;

export const POST = apiRoute<Context>('write', async (request, context) => {
  const journeyId = await idParam(context);
  if (!journeyId) return jsonError(404, 'not_found', 'No such journey');
  const body = await parseJsonBody(request, enrollmentInputSchema, 4 * 1024);
  if (!body.ok) return body.response;
  const result = await enrollCustomer(journeyId, body.data.customerId);
  if (!result.ok) {
    const field = result.code === 'unknown-customer' ? 'customerId' : undefined;
    return jsonError(FAILURE_STATUS[result.code], result.code.replace(/-/g, '_'), result.reason, field);
  }
  return ok({ enrollmentId: result.enrollmentId, status: 'enrolled' }, 201);
});
