import { textProblem } from '@/lib/api/json-guard';
import { clientAddress } from '@/lib/net/client-address';
import type { PageResult } from './pages';
import { tooLargePage } from './pages';
import type { ClientInfo } from './unsubscribe';
import { gpcSignalled } from './gpc';

/** Customer pages: no scripts, no caching, no referrer leaking the token, not indexable. */
export function pageResponse(result: PageResult): Response {
  return new Response(result.html, {
    status: result.status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex',
      'x-content-type-options': 'nosniff',
      // The page's language follows Accept-Language when the person's own is unknown.
      vary: 'Accept-Language',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    },
  });
}

export const FORM_MAX_BYTES = 16 * 1024;

/** Reads an urlencoded or multipart form body up to a limit; null when it is too large. */
export async function readForm(request: Request, maxBytes = FORM_MAX_BYTES): Promise<URLSearchParams | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return null;
      }
      chunks.push(value);
    }
  }
  const body = Buffer.concat(chunks);
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('multipart/form-data')) {
    try {
      const data = await new Response(body, { headers: { 'content-type': type } }).formData();
      const params = new URLSearchParams();
      for (const [key, value] of data) if (typeof value === 'string') params.append(key, value);
      return storableOnly(params);
    } catch {
      return new URLSearchParams();
    }
  }
  return storableOnly(new URLSearchParams(body.toString('utf8')));
}

/**
 * Drops fields whose text cannot be stored as it is (a NUL character, an unpaired surrogate), so
 * the page's own validation answers "missing" instead of the database failing with a 500.
 */
function storableOnly(params: URLSearchParams): URLSearchParams {
  const kept = new URLSearchParams();
  for (const [key, value] of params) if (!textProblem(key) && !textProblem(value)) kept.append(key, value);
  return kept;
}

export function tooLargeResponse(): Response {
  return pageResponse(tooLargePage());
}

/** Who sent a customer's request, for consent evidence and rate limits (lib/net/client-address). */
export function clientInfo(request: Request): ClientInfo {
  const ip = clientAddress(request.headers);
  return { ip: ip === 'unknown' ? null : ip, userAgent: request.headers.get('user-agent') };
}

/** The client that sent a Global Privacy Control signal (`Sec-GPC: 1`) with this request, else null. */
export function gpcClient(request: Request): ClientInfo | null {
  return gpcSignalled(request.headers) ? clientInfo(request) : null;
}

/** The browser's language wish, for customer pages (lib/privacy/customer-pages picks the language). */
export function acceptLanguage(request: Request): string | null {
  return request.headers.get('accept-language');
}
