import { headers } from 'next/headers';
import { LOGIN_CSRF_HEADER, REQUEST_PATH_HEADER } from '@/lib/auth/login-form';

/** What the server-rendered sign-in form needs from this request (set by proxy.ts). */
export async function loginFormRequest(): Promise<{ csrfToken: string; requestPath: string }> {
  const list = await headers();
  return {
    csrfToken: list.get(LOGIN_CSRF_HEADER) ?? '',
    requestPath: list.get(REQUEST_PATH_HEADER) ?? '/',
  };
}
