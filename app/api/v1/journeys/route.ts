import { NextResponse } from 'next/server';
import { apiRoute } from '@/app/_lib/api-auth';
import { jsonError } from '@/app/_lib/http';
import { listJourneysPage } from '@/lib/api/catalog';
import { parsePageQuery, toPage } from '@/lib/api/pagination';

export const GET = apiRoute('read', async (request) => {
  const query = parsePageQuery(new URL(request.url));
  if (!query.ok) return jsonError('invalid_field', query.message, query.field);
  const rows = await listJourneysPage(query.page.afterId, query.page.limit);
  return NextResponse.json(
    toPage(rows, query.page.limit, (journey) => ({
      id: journey.id,
      name: journey.name,
      status: journey.status,
      liveVersionId: journey.liveVersionId,
      updatedAt: journey.updatedAt ? journey.updatedAt.toISOString() : null,
    })),
  );
});
