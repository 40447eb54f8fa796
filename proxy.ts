import { NextResponse, type NextRequest } from 'next/server';
import { newNonce, STAFF_PAGE_HEADERS, staffPageCsp } from '@/lib/net/security-headers';

/**
 * Staff pages (and the login page): a Content-Security-Policy with a fresh script nonce per
 * response, and the other security headers. Next.js reads the nonce from the policy on the
 * request and puts it on the scripts it renders; the root layout reads `x-nonce`, which also makes
 * every page render per request (a prerendered page could carry no nonce).
 * Customer pages and API routes set their own, stricter headers (no scripts at all).
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const csp = staffPageCsp(nonce, { development: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(STAFF_PAGE_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      source:
        '/((?!api/|_next/static|_next/image|favicon.ico|optin/|unsubscribe/|preferences/|export/|verify-request/|receipts/|c/|\\.well-known/|metrics).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
