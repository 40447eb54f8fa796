import { headers } from 'next/headers';
import { LOGIN_CSRF_HEADER } from '@/lib/auth/login-form';
import { passwordLoginEnabled, ssoConfig } from '@/lib/auth/sso';

/** What the server-rendered sign-in form needs from this request (set by proxy.ts) and the setup. */
export async function loginFormRequest(): Promise<{
  csrfToken: string;
  /** The identity provider's name when single sign-on is configured. */
  ssoName: string | null;
  passwordLogin: boolean;
}> {
  const list = await headers();
  return {
    csrfToken: list.get(LOGIN_CSRF_HEADER) ?? '',
    ssoName: ssoConfig()?.name ?? null,
    passwordLogin: passwordLoginEnabled(),
  };
}
