import { isSameOriginRequest } from '@/lib/auth/csrf';
import { LOGIN_CSRF_COOKIE, loginCsrfMatches } from '@/lib/auth/login-form';
import { nextAuthCsrfCookieFor } from '@/lib/auth/next-auth';
import { sameOriginTarget } from '@/lib/auth/redirect-target';
import { ssoConfig } from '@/lib/auth/sso';
import { NextResponse, type NextRequest } from 'next/server';

export const dynamic = 'force-dynamic';

function seeOther(location: string): NextResponse {
  return new NextResponse(null, {
    status: 303,
    headers: { Location: location, 'Cache-Control': 'no-store' },
  });
}

/**
 * The "Continue with …" button of the sign-in form (components/auth/LoginForm): a plain form POST,
 * so single sign-on starts without JavaScript, from any deep link. After the same-origin and
 * double-submit CSRF checks of the password form, it binds next-auth's CSRF cookie to the form's
 * token and answers 307, so the browser posts the same form (csrfToken, callbackUrl) on to
 * next-auth's /api/auth/signin/oidc, which sets its state and PKCE cookies and sends the browser
 * to the identity provider. The form's target is `/` when none was asked for: the role's start page
 * (next-auth's redirect callback keeps it on this origin).
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const form = await request.formData().catch(() => null);
  const requested = form?.get('callbackUrl');
  const origin = new URL(request.url).origin;
  const target = sameOriginTarget(typeof requested === 'string' ? requested : '', origin, '/');
  const back = (error: 'expired' | 'sso-failed') => {
    const query = new URLSearchParams({ error });
    if (target !== '/') query.set('callbackUrl', target);
    return seeOther(`/login?${query}`);
  };
  const config = ssoConfig();
  if (!config) return back('sso-failed');
  const csrfToken = form?.get('csrfToken');
  if (!form || !isSameOriginRequest(request.headers)) return back('expired');
  if (
    typeof csrfToken !== 'string' ||
    !loginCsrfMatches(request.cookies.get(LOGIN_CSRF_COOKIE)?.value, csrfToken)
  )
    return back('expired');

  const response = new NextResponse(null, {
    status: 307,
    headers: { Location: `/api/auth/signin/${config.id}`, 'Cache-Control': 'no-store' },
  });
  const cookie = nextAuthCsrfCookieFor(csrfToken);
  response.cookies.set(cookie.name, cookie.value, cookie.options);
  return response;
}
