import { apiRoute, idParam } from '@/app/_lib/api-auth';
import { ok } from '@/app/_lib/api-responses';
import { jsonError } from '@/app/_lib/http';
import { getPrivacyRequest } from '@/lib/customers/privacy-requests';

type Context = { params: Promise<{ id: string }> };

export const GET = apiRoute<Context>('privacy', async (_request, context) => {
  const id = await idParam(context);
  const found = id ? await getPrivacyRequest(id) : null;
  if (!found) return jsonError(404, 'not_found', 'No such privacy request');
  return ok(found);
});
