import { metricsAccess } from '@/lib/operations/metrics-access';
import { metricsText } from '@/lib/operations/metrics';

export const dynamic = 'force-dynamic';

/** Prometheus metrics of this web process (README, Operations): bearer TARMO_METRICS_TOKEN. */
export async function GET(request: Request) {
  const access = metricsAccess(request.headers.get('authorization'), false);
  if (!access.allowed) {
    return new Response(`${access.message}\n`, {
      status: access.status,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        ...(access.status === 401 ? { 'www-authenticate': 'Bearer realm="metrics"' } : {}),
      },
    });
  }
  const { body, contentType } = await metricsText();
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
