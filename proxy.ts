import { NextResponse, type NextRequest } from 'next/server';
import { newNonce, STAFF_PAGE_HEADERS, staffPageCsp } from '@/lib/net/security-headers';
import {
  isStaffPagePath,
  isLoginCsrfToken,
  LOGIN_CSRF_COOKIE,
  LOGIN_CSRF_HEADER,
  loginPathFor,
  newLoginCsrfToken,
  REQUEST_PATH_HEADER,
} from '@/lib/auth/login-form';
import { hasLiveSessionToken } from '@/lib/auth/session-token';
import { ssoFormActionOrigin } from '@/lib/auth/sso';

/**
 * Staff pages (and the login page): a Content-Security-Policy with a fresh script nonce per
 * response, and the other security headers. Next.js reads the nonce from the policy on the
 * request and puts it on the scripts it renders; the root layout reads `x-nonce`, which also makes
 * every page render per request (a prerendered page could carry no nonce).
 * Customer pages and API routes set their own, stricter headers (no scripts at all).
 *
 * The sign-in page's form is a plain HTML form: the page gets the form's CSRF token (the cookie's,
 * set here when missing) as a request header, and every page the address asked for.
 *
 * A staff page asked for without a live session cookie is sent to the sign-in page
 * (/login?callbackUrl=<the page>), which is rendered on the server and works without JavaScript;
 * signing in returns to the page. A session cookie the database no longer accepts (a deleted or
 * disabled account, signed out elsewhere, a role changed) is sent there by the staff layout
 * (app/_lib/session.ts), from the address this hands it.
 */
export async function proxy(request: NextRequest) {
  const nonce = newNonce();
  const csp = staffPageCsp(nonce, {
    development: process.env.NODE_ENV === 'development',
    formActionOrigin: ssoFormActionOrigin(),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const existing = request.cookies.get(LOGIN_CSRF_COOKIE)?.value;
  const loginCsrf = isLoginCsrfToken(existing) ? existing : newLoginCsrfToken();
  requestHeaders.set(LOGIN_CSRF_HEADER, loginCsrf);
  const asked = request.nextUrl.clone();
  asked.searchParams.delete('_rsc');
  const askedPath = `${asked.pathname}${asked.search}`;
  if (isStaffPagePath(asked.pathname) && !(await hasLiveSessionToken(request)))
    return NextResponse.redirect(new URL(loginPathFor(askedPath), request.url));
  requestHeaders.set(REQUEST_PATH_HEADER, askedPath);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(STAFF_PAGE_HEADERS)) response.headers.set(name, value);
  // Only the sign-in page hands out the token: a request of another page still in flight (a tab
  // signed out a moment ago) must not replace the cookie behind the form just rendered.
  if (loginCsrf !== existing && asked.pathname === '/login') {
    response.cookies.set(LOGIN_CSRF_COOKIE, loginCsrf, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: request.nextUrl.protocol === 'https:',
    });
  }
  return response;
}

export const config = {
  matcher: [
    {
      source:
        '/((?!api/|_next/static|_next/image|favicon.ico|optin/|unsubscribe/|preferences/|export/|verify-request/|receipts/|notices/|c/|\\.well-known/|metrics).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
