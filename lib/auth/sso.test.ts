import { afterEach, describe, expect, it } from 'vitest';
import { appEnv, resetAppEnv } from '@/lib/config/env';
import { claimValues, decideSsoSignIn, emailDomainAllowed, roleForClaims, ssoConfig } from './sso';
import type { Role } from './roles';

const roleMap = new Map<string, Role>([
  ['tarmo-admins', 'admin'],
  ['tarmo-compliance', 'compliance'],
  ['tarmo-marketing', 'marketer'],
]);
const config = { roleClaim: 'groups', roleMap, allowedDomains: ['example.com', 'shop.example.org'] };

describe('claim → role mapping', () => {
  it('maps a listed claim value to its role; the most privileged wins when several match', () => {
    expect(roleForClaims(['staff', 'tarmo-marketing'], roleMap)).toBe('marketer');
    expect(roleForClaims(['tarmo-compliance'], roleMap)).toBe('compliance');
    expect(roleForClaims(['tarmo-marketing', 'tarmo-admins', 'tarmo-compliance'], roleMap)).toBe('admin');
    expect(roleForClaims(['tarmo-marketing', 'tarmo-compliance'], roleMap)).toBe('compliance');
  });

  it('falls back to the default role, or to none (refused) without one', () => {
    expect(roleForClaims(['staff'], roleMap)).toBeNull();
    expect(roleForClaims([], roleMap, 'marketer')).toBe('marketer');
    expect(roleForClaims(['tarmo-admins'], roleMap, 'marketer')).toBe('admin');
    // Values match exactly: no case folding, no prefixes.
    expect(roleForClaims(['TARMO-ADMINS', 'tarmo-admins-old'], roleMap)).toBeNull();
  });

  it('reads the claim as a list, a space- or comma-separated string, or at a dotted path', () => {
    expect(claimValues({ groups: ['a', 'b', 3] }, 'groups')).toEqual(['a', 'b']);
    expect(claimValues({ roles: 'a b,c' }, 'roles')).toEqual(['a', 'b', 'c']);
    expect(claimValues({ realm_access: { roles: ['tarmo-admins'] } }, 'realm_access.roles')).toEqual([
      'tarmo-admins',
    ]);
    expect(claimValues({ realm_access: ['x'] }, 'realm_access.roles')).toEqual([]);
    expect(claimValues({}, 'groups')).toEqual([]);
    expect(claimValues(null, 'groups')).toEqual([]);
    expect(claimValues({ groups: { admin: true } }, 'groups')).toEqual([]);
  });
});

describe('email domain allow-list', () => {
  it('allows exactly the listed domains, in any case', () => {
    expect(emailDomainAllowed('ann@example.com', config.allowedDomains)).toBe(true);
    expect(emailDomainAllowed('Ann@EXAMPLE.com', config.allowedDomains)).toBe(true);
    expect(emailDomainAllowed('bo@shop.example.org', config.allowedDomains)).toBe(true);
  });

  it('refuses other domains, subdomains, look-alike suffixes and odd addresses', () => {
    for (const email of [
      'eve@evil.example',
      'eve@sub.example.com',
      'eve@notexample.com',
      'eve@example.com.evil.example',
      'eve@example.org',
      'example.com',
      '@example.com',
      'eve@example.com@evil.example',
    ])
      expect(emailDomainAllowed(email, config.allowedDomains), email).toBe(false);
  });
});

describe('deciding an SSO sign-in from the ID token claims', () => {
  it('admits an allowed, verified address with a mapped role', () => {
    expect(
      decideSsoSignIn(
        {
          sub: '1',
          email: ' Ann@Example.com ',
          email_verified: true,
          name: 'Ann',
          groups: ['tarmo-compliance'],
        },
        config,
      ),
    ).toEqual({ ok: true, email: 'ann@example.com', name: 'Ann', role: 'compliance' });
    // Providers that do not send email_verified are trusted for the address.
    expect(decideSsoSignIn({ email: 'bo@example.com', groups: ['tarmo-marketing'] }, config)).toEqual({
      ok: true,
      email: 'bo@example.com',
      name: '',
      role: 'marketer',
    });
  });

  it('refuses by reason: no or unverified email, a domain not allowed, no role', () => {
    expect(decideSsoSignIn({ groups: ['tarmo-admins'] }, config)).toEqual({ ok: false, reason: 'email' });
    expect(decideSsoSignIn({ email: 'not an address', groups: ['tarmo-admins'] }, config)).toEqual({
      ok: false,
      reason: 'email',
    });
    for (const verified of [false, 'false'])
      expect(
        decideSsoSignIn(
          { email: 'ann@example.com', email_verified: verified, groups: ['tarmo-admins'] },
          config,
        ),
      ).toEqual({ ok: false, reason: 'email' });
    expect(decideSsoSignIn({ email: 'eve@evil.example', groups: ['tarmo-admins'] }, config)).toEqual({
      ok: false,
      reason: 'domain',
    });
    expect(decideSsoSignIn({ email: 'ann@example.com', groups: ['staff'] }, config)).toEqual({
      ok: false,
      reason: 'role',
    });
    expect(
      decideSsoSignIn(
        { email: 'ann@example.com', groups: ['staff'] },
        { ...config, defaultRole: 'marketer' },
      ),
    ).toMatchObject({ ok: true, role: 'marketer' });
  });
});

describe('SSO settings from the environment', () => {
  const names = [
    'TARMO_OIDC_ISSUER',
    'TARMO_OIDC_CLIENT_ID',
    'TARMO_OIDC_CLIENT_SECRET',
    'TARMO_OIDC_ROLE_MAP',
    'TARMO_OIDC_ROLE_CLAIM',
    'TARMO_OIDC_DEFAULT_ROLE',
    'TARMO_OIDC_ALLOWED_DOMAINS',
    'TARMO_PASSWORD_LOGIN',
  ];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  function withEnv(values: Record<string, string>): void {
    for (const name of names) delete process.env[name];
    Object.assign(process.env, values);
    resetAppEnv();
  }
  afterEach(() => {
    for (const name of names)
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    resetAppEnv();
  });
  const complete = {
    TARMO_OIDC_ISSUER: 'https://id.example.com/realms/staff/',
    TARMO_OIDC_CLIENT_ID: 'tarmo',
    TARMO_OIDC_CLIENT_SECRET: 'secret',
    TARMO_OIDC_ROLE_MAP: ' tarmo-admins=admin , team=privacy=compliance ',
    TARMO_OIDC_ALLOWED_DOMAINS: 'Example.com, shop.example.org',
  };

  it('is off without an issuer; password sign-in is on by default', () => {
    withEnv({});
    expect(ssoConfig()).toBeNull();
    expect(appEnv().TARMO_PASSWORD_LOGIN).toBe('1');
  });

  it('parses the role map (values may contain `=`) and the domains', () => {
    withEnv(complete);
    const parsed = ssoConfig();
    expect(parsed?.issuer).toBe('https://id.example.com/realms/staff');
    expect([...(parsed?.roleMap ?? [])]).toEqual([
      ['tarmo-admins', 'admin'],
      ['team=privacy', 'compliance'],
    ]);
    expect(parsed?.allowedDomains).toEqual(['example.com', 'shop.example.org']);
    expect(parsed?.roleClaim).toBe('groups');
  });

  it('names the variable to fix when the settings do not fit together', () => {
    const invalid: [Record<string, string>, RegExp][] = [
      [{ TARMO_OIDC_ISSUER: 'https://id.example.com' }, /TARMO_OIDC_CLIENT_ID/],
      [{ ...complete, TARMO_OIDC_ALLOWED_DOMAINS: '' }, /TARMO_OIDC_ALLOWED_DOMAINS/],
      [{ ...complete, TARMO_OIDC_ALLOWED_DOMAINS: '*' }, /TARMO_OIDC_ALLOWED_DOMAINS/],
      [{ ...complete, TARMO_OIDC_ROLE_MAP: '' }, /TARMO_OIDC_ROLE_MAP/],
      [{ ...complete, TARMO_OIDC_ROLE_MAP: 'tarmo-admins=root' }, /TARMO_OIDC_ROLE_MAP/],
      [{ TARMO_PASSWORD_LOGIN: '0' }, /TARMO_PASSWORD_LOGIN/],
    ];
    for (const [values, message] of invalid) {
      withEnv(values);
      expect(() => appEnv(), JSON.stringify(values)).toThrow(message);
    }
    withEnv({ ...complete, TARMO_OIDC_ROLE_MAP: '', TARMO_OIDC_DEFAULT_ROLE: 'marketer' });
    expect(ssoConfig()?.defaultRole).toBe('marketer');
    withEnv({ ...complete, TARMO_PASSWORD_LOGIN: '0' });
    expect(appEnv().TARMO_PASSWORD_LOGIN).toBe('0');
  });
});
