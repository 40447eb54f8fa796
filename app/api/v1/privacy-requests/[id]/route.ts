import { NextResponse } from 'next/server';
import { apiRoute, idParam } from '@/app/_lib/api-auth';
import { jsonError } from '@/app/_lib/http';
import { getPrivacyRequest } from '@/lib/customers/privacy-requests';

type Context = { params: Promise<{ id: string }> };

export const GET = apiRoute<Context>('privacy', async (_request, context) => {
  const id = await idParam(context);
  const found = id ? await getPrivacyRequest(id) : null;
  if (!found) return jsonError('not_found', 'No such privacy request');
  return NextResponse.json(found);
});
