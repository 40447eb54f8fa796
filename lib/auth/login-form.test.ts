import { describe, expect, it } from 'vitest';
import {
  isLoginCsrfToken,
  isStaffPagePath,
  loginCsrfMatches,
  loginErrorOf,
  loginPathFor,
  newLoginCsrfToken,
  STAFF_PAGE_SECTIONS,
} from './login-form';

describe('sign-in form CSRF token', () => {
  it('is 256 random bits in hex, new each time', () => {
    const a = newLoginCsrfToken();
    expect(isLoginCsrfToken(a)).toBe(true);
    expect(newLoginCsrfToken()).not.toBe(a);
  });

  it('matches only the same well-formed token', () => {
    const token = newLoginCsrfToken();
    expect(loginCsrfMatches(token, token)).toBe(true);
    expect(loginCsrfMatches(token, newLoginCsrfToken())).toBe(false);
    expect(loginCsrfMatches(token, undefined)).toBe(false);
    expect(loginCsrfMatches(undefined, token)).toBe(false);
    expect(loginCsrfMatches('', '')).toBe(false);
    expect(loginCsrfMatches('abc', 'abc')).toBe(false);
    expect(loginCsrfMatches(token, token.toUpperCase())).toBe(false);
  });

  it('knows the form errors it words', () => {
    expect(loginErrorOf('rate-limited')).toBe('rate-limited');
    expect(loginErrorOf('<script>')).toBeNull();
  });

  it("words single sign-on's refusals and next-auth's own error codes (its error page is /login)", () => {
    for (const code of ['password-off', 'sso-domain', 'sso-role', 'sso-email', 'sso-disabled', 'sso-failed'])
      expect(loginErrorOf(code)).toBe(code);
    expect(loginErrorOf('OAuthCallback')).toBe('sso-failed');
    expect(loginErrorOf('AccessDenied')).toBe('sso-failed');
    expect(loginErrorOf('CredentialsSignin')).toBe('invalid');
    expect(loginErrorOf('toString')).toBeNull();
    expect(loginErrorOf(['sso-domain'])).toBeNull();
  });
});

describe('staff page paths', () => {
  it('lists every section of app/(staff), and the start page', async () => {
    const fs = await import('node:fs');
    const sections = fs
      .readdirSync('app/(staff)', { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect([...STAFF_PAGE_SECTIONS].sort()).toEqual(sections.sort());
    expect(isStaffPagePath('/')).toBe(true);
    expect(isStaffPagePath('/journeys/12/live')).toBe(true);
    expect(isStaffPagePath('/login')).toBe(false);
    expect(isStaffPagePath('/optin/abc')).toBe(false);
    expect(isStaffPagePath('/journeys-x')).toBe(false);
  });
});

describe('the sign-in page for an address', () => {
  it('returns to the address asked for, query included; the start page needs no target', () => {
    expect(loginPathFor('/journeys/12?tab=live')).toBe('/login?callbackUrl=%2Fjourneys%2F12%3Ftab%3Dlive');
    expect(loginPathFor('/')).toBe('/login');
    expect(loginPathFor('')).toBe('/login');
  });
});
