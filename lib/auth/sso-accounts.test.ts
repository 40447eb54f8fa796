import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, Profile, User } from 'next-auth';
import { NextRequest } from 'next/server';
import { resetAppEnv } from '@/lib/config/env';
import { findUserByEmail, updateUser, upsertUser } from '@/db/store/users';
import { POST as loginRoute } from '@/app/api/auth/login/route';
import { attemptLogin } from './login';
import { LOGIN_CSRF_COOKIE, newLoginCsrfToken } from './login-form';
import { authOptions, resetAuthOptions } from './next-auth';
import { hashPassword, verifyPassword } from './password';
import { passwordLoginEnabled } from './sso';
import { signInWithSso } from './staff-users';
import { useTempDatabase } from '@/tests/helpers/db';

/**
 * Accounts made and used by single sign-on, on a real database with the real migrations, and
 * password sign-in turned off (TARMO_PASSWORD_LOGIN=0): the form's route and next-auth's
 * credentials callback both refuse. e2e/sso.spec.ts runs the same against a real OIDC provider.
 */
const SSO_ENV = {
  TARMO_OIDC_ISSUER: 'http://127.0.0.1:9/',
  TARMO_OIDC_CLIENT_ID: 'tarmo-test',
  TARMO_OIDC_CLIENT_SECRET: 'test-secret',
  TARMO_OIDC_ROLE_MAP: 'tarmo-admins=admin,tarmo-compliance=compliance,tarmo-marketing=marketer',
  TARMO_OIDC_ALLOWED_DOMAINS: 'sso.test',
};
const db = useTempDatabase();

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  resetAppEnv();
  resetAuthOptions();
}

beforeAll(() => setEnv(SSO_ENV));
afterAll(() =>
  setEnv({
    ...Object.fromEntries(Object.keys(SSO_ENV).map((name) => [name, undefined])),
    TARMO_PASSWORD_LOGIN: undefined,
  }),
);

async function auditOf(action: string) {
  return await db.all<{
    actor_type: string;
    actor_id: string | null;
    target_id: string | null;
    details: string;
  }>('SELECT actor_type, actor_id, target_id, details FROM audit_log WHERE action = ? ORDER BY id', action);
}

describe('signing in by SSO', () => {
  it('creates the account on the first sign-in with the mapped role, and no password opens it', async () => {
    const first = await signInWithSso({
      sub: 'x1',
      email: 'New.Person@SSO.test',
      name: 'New Person',
      groups: ['tarmo-compliance'],
    });
    expect(first).toMatchObject({
      ok: true,
      created: true,
      user: { email: 'new.person@sso.test', name: 'New Person', role: 'compliance' },
    });
    const row = await findUserByEmail('new.person@sso.test');
    expect(row?.role).toBe('compliance');
    expect(row?.lastLoginAt).toBeInstanceOf(Date);
    expect(await verifyPassword('', row?.passwordHash ?? '')).toBe(false);
    expect(await attemptLogin('new.person@sso.test', '!sso', '10.9.0.1')).toEqual({
      ok: false,
      reason: 'invalid',
    });

    const again = await signInWithSso({ email: 'new.person@sso.test', groups: ['tarmo-compliance'] });
    expect(again).toMatchObject({ ok: true, created: false, user: { id: row?.id, role: 'compliance' } });
    if (!first.ok || !again.ok) throw new Error('unreachable');
    expect(again.sessionVersion).toBe(first.sessionVersion);
    expect(await db.all('SELECT id FROM users WHERE email = ?', 'new.person@sso.test')).toHaveLength(1);

    const created = await auditOf('user.created');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor_type: 'system', target_id: String(row?.id) });
    expect(JSON.parse(created[0]?.details ?? '{}')).toMatchObject({ method: 'sso', role: 'compliance' });
    // Ids only: the address is in no audit entry.
    const everything = await db.all<{ details: string | null }>('SELECT details FROM audit_log');
    for (const entry of everything) expect(entry.details ?? '').not.toContain('sso.test');
  });

  it("takes the provider's role at each sign-in, which ends sessions of the old role", async () => {
    await signInWithSso({ email: 'mover@sso.test', groups: ['tarmo-marketing'] });
    const before = await findUserByEmail('mover@sso.test');
    const promoted = await signInWithSso({
      email: 'mover@sso.test',
      groups: ['tarmo-marketing', 'tarmo-admins'],
    });
    expect(promoted).toMatchObject({ ok: true, user: { role: 'admin' } });
    if (!promoted.ok) throw new Error('unreachable');
    expect(promoted.sessionVersion).toBe((before?.sessionVersion ?? 0) + 1);
  });

  it('links a password account of the same address, and keeps a disabled account out', async () => {
    await upsertUser({
      email: 'has.password@sso.test',
      name: 'Pat',
      role: 'marketer',
      passwordHash: await hashPassword('a long password 1'),
    });
    expect(
      await signInWithSso({ email: 'has.password@sso.test', name: 'Other', groups: ['tarmo-marketing'] }),
    ).toMatchObject({
      ok: true,
      created: false,
      user: { name: 'Pat', role: 'marketer' },
    });
    const row = await findUserByEmail('has.password@sso.test');
    await updateUser(row?.id ?? 0, { disabled: true });
    expect(await signInWithSso({ email: 'has.password@sso.test', groups: ['tarmo-marketing'] })).toEqual({
      ok: false,
      reason: 'disabled',
    });
  });

  it('refuses other domains and people without a mapped role, creating nobody', async () => {
    expect(await signInWithSso({ email: 'eve@elsewhere.test', groups: ['tarmo-admins'] })).toEqual({
      ok: false,
      reason: 'domain',
    });
    expect(await signInWithSso({ email: 'eve@sub.sso.test', groups: ['tarmo-admins'] })).toEqual({
      ok: false,
      reason: 'domain',
    });
    expect(await signInWithSso({ email: 'nobody@sso.test', groups: ['staff'] })).toEqual({
      ok: false,
      reason: 'role',
    });
    expect(await findUserByEmail('eve@elsewhere.test')).toBeUndefined();
    expect(await findUserByEmail('nobody@sso.test')).toBeUndefined();
    const refused = (await auditOf('login.failed')).map(
      (entry) => (JSON.parse(entry.details ?? 'null') as { method?: string; reason?: string } | null) ?? {},
    );
    expect(refused.filter((entry) => entry.method === 'sso').map((entry) => entry.reason)).toEqual([
      'disabled',
      'domain',
      'domain',
      'role',
    ]);
  });

  it("next-auth's signIn callback signs the account in with its id, role and session version, or sends a refusal to the form", async () => {
    const signIn = authOptions().callbacks?.signIn;
    if (!signIn) throw new Error('no signIn callback');
    const account = { provider: 'oidc', type: 'oauth', providerAccountId: 'p1' } as Account;
    const user = { id: 'p1' } as User & { role?: string; sessionVersion?: number };
    const profile: Profile = { sub: 'p1', email: 'callback@sso.test' };
    Object.assign(profile, { groups: ['tarmo-admins'] });
    const elsewhere: Profile = { sub: 'p2', email: 'x@other.test' };
    Object.assign(elsewhere, { groups: ['tarmo-admins'] });
    expect(await signIn({ user, account, profile })).toBe(true);
    const row = await findUserByEmail('callback@sso.test');
    expect(user).toMatchObject({ id: String(row?.id), role: 'admin', sessionVersion: row?.sessionVersion });
    expect(
      await signIn({
        user: { id: 'p2' } as User,
        account,
        profile: elsewhere,
      }),
    ).toBe('/login?error=sso-domain');
  });
});

describe('password sign-in turned off (TARMO_PASSWORD_LOGIN=0)', () => {
  const email = 'password.user@tarmo.test';
  const password = 'the right password here';
  beforeAll(async () => {
    await upsertUser({ email, role: 'admin', passwordHash: await hashPassword(password) });
  });
  afterAll(() => setEnv({ TARMO_PASSWORD_LOGIN: undefined }));

  it('works while on, and is refused with the right password once off', async () => {
    setEnv({ TARMO_PASSWORD_LOGIN: '1' });
    expect(passwordLoginEnabled()).toBe(true);
    expect(await attemptLogin(email, password, '10.9.0.2')).toMatchObject({ ok: true });
    setEnv({ TARMO_PASSWORD_LOGIN: '0' });
    expect(passwordLoginEnabled()).toBe(false);
    expect(await attemptLogin(email, password, '10.9.0.2')).toEqual({ ok: false, reason: 'password-off' });
  });

  it("the sign-in form's route answers with the form and no session cookie", async () => {
    const form = (csrf: string) => {
      const body = new URLSearchParams({ email, password, csrfToken: csrf, callbackUrl: '/journeys' });
      return new NextRequest('http://tarmo.test/api/auth/login', {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'http://tarmo.test',
          host: 'tarmo.test',
          cookie: `${LOGIN_CSRF_COOKIE}=${csrf}`,
        },
      });
    };
    setEnv({ TARMO_PASSWORD_LOGIN: '1' });
    const on = await loginRoute(form(newLoginCsrfToken()));
    expect(on.headers.get('location')).toBe('/journeys');
    expect(on.headers.get('set-cookie') ?? '').toContain('next-auth.session-token=');

    setEnv({ TARMO_PASSWORD_LOGIN: '0' });
    const off = await loginRoute(form(newLoginCsrfToken()));
    expect(off.status).toBe(303);
    expect(off.headers.get('location')).toBe('/login?error=password-off&callbackUrl=%2Fjourneys');
    expect(off.headers.get('set-cookie') ?? '').not.toContain('session-token');
  });

  it('next-auth offers no credentials provider and its signIn callback refuses one', async () => {
    setEnv({ TARMO_PASSWORD_LOGIN: '1' });
    expect(authOptions().providers.map((provider) => provider.id)).toEqual(['credentials', 'oidc']);
    setEnv({ TARMO_PASSWORD_LOGIN: '0' });
    const options = authOptions();
    expect(options.providers.map((provider) => provider.id)).toEqual(['oidc']);
    const account = { provider: 'credentials', type: 'credentials', providerAccountId: '1' } as Account;
    expect(await options.callbacks?.signIn?.({ user: { id: '1' } as User, account })).toBe(false);
  });
});
