/** Why the sign-in form came back (its `error=` query): the form words each one. */
export type LoginError =
  | 'invalid'
  | 'rate-limited'
  | 'expired'
  | 'password-off'
  /** Single sign-on: signed in at the provider, but refused here (lib/auth/sso decideSsoSignIn). */
  | 'sso-domain'
  | 'sso-role'
  | 'sso-email'
  | 'sso-disabled'
  /** Single sign-on did not complete (next-auth's own error codes: OAuthCallback, AccessDenied, …). */
  | 'sso-failed';

const LOGIN_ERRORS: readonly LoginError[] = [
  'invalid',
  'rate-limited',
  'expired',
  'password-off',
  'sso-domain',
  'sso-role',
  'sso-email',
  'sso-disabled',
  'sso-failed',
];

/** next-auth's error codes (its `pages.error` is /login) for a sign-in that did not complete. */
const NEXT_AUTH_ERRORS = new Set([
  'Configuration',
  'AccessDenied',
  'Verification',
  'Default',
  'OAuthSignin',
  'OAuthCallback',
  'OAuthCreateAccount',
  'OAuthAccountNotLinked',
  'Callback',
  'SessionRequired',
]);

export function loginErrorOf(value: unknown): LoginError | null {
  if (typeof value !== 'string') return null;
  if ((LOGIN_ERRORS as readonly string[]).includes(value)) return value as LoginError;
  if (value === 'CredentialsSignin') return 'invalid';
  return NEXT_AUTH_ERRORS.has(value) ? 'sso-failed' : null;
}

/**
 * CSRF for the sign-in form, which is a plain HTML form (it works without JavaScript): a random
 * token in a SameSite=Strict, HttpOnly cookie and the same token in a hidden field (double
 * submit), on top of the Origin check every staff write has (lib/auth/csrf). proxy.ts sets the
 * cookie on any page that may show the form and hands the token to the page in a request header;
 * the sign-in route compares the two.
 */
export const LOGIN_CSRF_COOKIE = 'tarmo.login-csrf';
/** Request header proxy.ts sets for the page: the token the form must carry. */
export const LOGIN_CSRF_HEADER = 'x-tarmo-login-csrf';
/** Request header proxy.ts sets for the page: the path (and query) asked for, the form's target. */
export const REQUEST_PATH_HEADER = 'x-tarmo-request-path';

const TOKEN = /^[0-9a-f]{64}$/;

export function newLoginCsrfToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function isLoginCsrfToken(value: string | null | undefined): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}

/** Whether the form's token is the cookie's (both well-formed), compared in constant time. */
export function loginCsrfMatches(cookie: string | null | undefined, field: unknown): boolean {
  if (!isLoginCsrfToken(cookie) || typeof field !== 'string' || !isLoginCsrfToken(field)) return false;
  // Constant time without node:crypto (proxy.ts imports this module too).
  let difference = 0;
  for (let i = 0; i < cookie.length; i++) difference |= cookie.charCodeAt(i) ^ field.charCodeAt(i);
  return difference === 0;
}

/**
 * The staff pages (app/(staff) and the start page `/`): without a session, proxy.ts sends them to
 * the sign-in page (loginPathFor). login-form.test.ts checks every folder of app/(staff) is listed.
 */
export const STAFF_PAGE_SECTIONS = [
  'journeys',
  'mission-control',
  'customers',
  'privacy-requests',
  'settings',
  'audit',
];

export function isStaffPagePath(pathname: string): boolean {
  if (pathname === '/') return true;
  const section = pathname.split('/')[1] ?? '';
  return STAFF_PAGE_SECTIONS.includes(section);
}

/**
 * The sign-in page that returns to `target` (a path and query on this origin) after signing in.
 * The start page needs no target: signing in goes to the role's start page anyway.
 */
export function loginPathFor(target: string): string {
  return target === '/' || target === ''
    ? '/login'
    : `/login?${new URLSearchParams({ callbackUrl: target })}`;
}
