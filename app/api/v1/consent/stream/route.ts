import { parseDashboardFilters } from '@/lib/mission-control/filters';
import { consentEventStream, SSE_HEADERS } from '@/lib/mission-control/stream';
import { authorizeConsentRead } from '../_lib/access';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/v1/consent/stream: server-sent events (see lib/mission-control/stream.ts). */
export async function GET(request: Request): Promise<Response> {
  const access = await authorizeConsentRead(request);
  if (!access.ok) return access.response;
  const { purpose, theme } = parseDashboardFilters(new URL(request.url).searchParams);
  const lastEventHeader = request.headers.get('last-event-id');
  const lastEventId =
    lastEventHeader && /^\d{1,15}$/.test(lastEventHeader) ? Number(lastEventHeader) : undefined;
  const body = consentEventStream({
    filter: { purpose, theme },
    signal: request.signal,
    lastEventId,
    stillAuthorized: access.stillAuthorized,
  });
  return new Response(body, { headers: SSE_HEADERS });
}
