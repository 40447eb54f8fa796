import { z } from 'zod';
import { attemptLogin } from '@/lib/auth/login';
import { isSameOriginRequest } from '@/lib/auth/csrf';
import { LOGIN_CSRF_COOKIE, loginCsrfMatches, type LoginError } from '@/lib/auth/login-form';
import { sessionCookieFor } from '@/lib/auth/next-auth';
import { sameOriginTarget } from '@/lib/auth/redirect-target';
import { startPageFor } from '@/lib/auth/roles';
import { clientAddress } from '@/lib/net/client-address';
import { NextResponse, type NextRequest } from 'next/server';

export const dynamic = 'force-dynamic';

const credentials = z.object({
  email: z.string().trim().email().max(320),
  password: z.string().min(1).max(1000),
});

/** 303: the browser follows with a GET, so a reload never posts the password again. */
function seeOther(location: string): NextResponse {
  return new NextResponse(null, {
    status: 303,
    headers: { Location: location, 'Cache-Control': 'no-store' },
  });
}

/**
 * The sign-in form's target (components/auth/LoginForm): a plain form POST, so signing in works
 * without JavaScript and always ends in a full page load of the requested page (a client-side
 * refresh at the same address kept showing the form: bug 0 of issue 16). Same-origin and
 * double-submit CSRF checks, the throttled credential check of lib/auth/login, then next-auth's
 * session cookie and a 303 to the requested page (same origin only; otherwise the role's start
 * page). A failure goes back to the form with a reason, never JSON.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const form = await request.formData().catch(() => null);
  const requested = form?.get('callbackUrl');
  const target = typeof requested === 'string' ? requested : '';
  const back = (error: LoginError) => {
    const query = new URLSearchParams({ error });
    if (target) query.set('callbackUrl', target);
    return seeOther(`/login?${query}`);
  };
  if (!form || !isSameOriginRequest(request.headers)) return back('expired');
  if (!loginCsrfMatches(request.cookies.get(LOGIN_CSRF_COOKIE)?.value, form.get('csrfToken')))
    return back('expired');

  const parsed = credentials.safeParse({ email: form.get('email'), password: form.get('password') });
  if (!parsed.success) return back('invalid');
  const result = await attemptLogin(parsed.data.email, parsed.data.password, clientAddress(request.headers));
  if (!result.ok) return back(result.reason);

  const origin = new URL(request.url).origin;
  const response = seeOther(sameOriginTarget(target, origin, startPageFor(result.user.role)));
  const session = await sessionCookieFor(result.user, result.sessionVersion);
  response.cookies.set(session.name, session.value, session.options);
  return response;
}
