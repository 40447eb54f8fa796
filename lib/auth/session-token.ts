import { getToken } from 'next-auth/jwt';
import { persistentSecret } from '@/lib/config/env';

/**
 * Whether a request carries a session cookie that decrypts with our secret and has not expired.
 * For proxy.ts, which must decide before any page renders whether to answer with the sign-in
 * form: no database read here (the staff layout still checks the account and session version on
 * every request). Cookie name and secret as next-auth's (lib/auth/next-auth).
 */
export async function hasLiveSessionToken(request: Parameters<typeof getToken>[0]['req']): Promise<boolean> {
  try {
    const token = await getToken({
      req: request,
      secret: persistentSecret('auth-secret'),
      secureCookie: (process.env.NEXTAUTH_URL ?? '').startsWith('https://'),
    });
    return !!token && typeof token.uid === 'number';
  } catch {
    return false;
  }
}
