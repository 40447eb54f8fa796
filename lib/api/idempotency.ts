import { completeIdempotencyKey } from '@/db/store/api-keys';

/** The `Idempotency-Key` record of the public API: reserve, then complete or release. */
export { releaseIdempotencyKey, reserveIdempotencyKey } from '@/db/store/api-keys';

/**
 * The customer a cached answer is about: the id in the path (/api/v1/customers/{id}/…), or the
 * answer's own `customerId`, `customer.id` or (for /api/v1/customers) `id`. Stored beside the
 * answer so that erasure deletes it whatever address it shows (also an address the person had
 * before a change).
 */
export function customerIdOfAnswer(pathname: string, body: string): number | null {
  const inPath = /^\/api\/v1\/customers\/(\d{1,15})(\/|$)/.exec(pathname);
  if (inPath) return Number(inPath[1]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const answer = parsed as { customerId?: unknown; customer?: { id?: unknown }; id?: unknown };
  const candidate =
    answer.customerId ?? answer.customer?.id ?? (pathname === '/api/v1/customers' ? answer.id : undefined);
  return typeof candidate === 'number' && Number.isInteger(candidate) ? candidate : null;
}

export async function completeIdempotentAnswer(
  apiKeyId: number,
  key: string,
  pathname: string,
  status: number,
  body: string,
): Promise<void> {
  await completeIdempotencyKey(apiKeyId, key, status, body, customerIdOfAnswer(pathname, body));
}
